using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Workbook.Tests;

/// <summary>
/// The main command used as a careless or hostile user might: an output folder that is the repository, the notebooks or a
/// file; a notebook file that is no notebook; markdown holding scripts; Ctrl+C in the middle of a run. No use may delete or
/// replace a file the command did not write, and an interrupted run leaves the previous reports and their index as they were.
/// </summary>
[Collection(HostileUseCollection.Name)]
public sealed partial class HostileUseTests(Browser browser) : IClassFixture<Browser>
{
    [Theory]
    [InlineData(".", "holds the notebooks folder")]
    [InlineData("notebooks", "is the notebooks folder")]
    [InlineData("notebooks/01-output-shape", "lies inside the notebooks folder")]
    [InlineData("src", "is the repository's folder src")]
    [InlineData("tools/Workbook", "lies inside the repository's folder tools")]
    [InlineData("..", "holds the notebooks folder")]
    [InlineData("/proc/workbook-test", "cannot be written")]
    [InlineData("{file}", "is a file")]
    [InlineData("{file}/reports", "cannot be written")]
    public void An_output_folder_that_is_not_its_own_is_refused_before_set_up(string outDirectory, string reason)
    {
        string file = Path.GetTempFileName();
        try
        {
            Dictionary<string, byte[]> before = Snapshot(Path.Combine(WorkbookRun.Root, "notebooks"));
            ToolRun run = ToolRun.Start("--out", outDirectory.Replace("{file}", file, StringComparison.Ordinal), "01");
            run.WaitForExit(TimeSpan.FromMinutes(3));

            Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}:\n{run.Console}");
            Assert.Contains(reason, run.Console, StringComparison.Ordinal);
            Assert.DoesNotContain("set-up:", run.Console, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot(Path.Combine(WorkbookRun.Root, "notebooks")), new SnapshotComparer());
            Assert.Equal("", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Files_that_are_no_notebook_fail_by_name_and_markdown_cannot_run_a_script()
    {
        string output = Directory.CreateTempSubdirectory("workbook-test-").FullName;
        string notebooks = Directory.CreateTempSubdirectory("workbook-notebook-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(notebooks, "01-cells-five.ipynb"), """{"cells": 5}""");
            File.WriteAllText(Path.Combine(notebooks, "02-bad-json.ipynb"), """{"cells": [""");
            JsonNode noSource = JsonNode.Parse(TestNotebook.Json("# No source", "1 + 1"))!;
            noSource["cells"]![1]!.AsObject().Remove("source");
            File.WriteAllText(Path.Combine(notebooks, "03-no-source.ipynb"), noSource.ToJsonString());
            File.WriteAllText(Path.Combine(notebooks, "04-hostile-markdown.ipynb"), TestNotebook.Json(HostileMarkdown, OwnOutput));

            ToolRun run = ToolRun.Start("--out", output, "--notebooks", notebooks);
            run.WaitForExit(TimeSpan.FromMinutes(10));

            Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}:\n{run.Console}");
            foreach (string name in new[] { "01-cells-five", "02-bad-json", "03-no-source" })
            {
                Assert.Matches($@"FAILED \[{name}\].*not a valid notebook", run.Console);
                string report = File.ReadAllText(Path.Combine(output, "reports", name + ".html"));
                Assert.Contains("cn-failed", report, StringComparison.Ordinal);
                Assert.Contains("not a valid notebook", report, StringComparison.Ordinal);
            }
            Assert.Contains("\"cells\" is a JSON number", run.Console, StringComparison.Ordinal);
            Assert.Contains("Cell 2 has no source", run.Console, StringComparison.Ordinal);
            Assert.Contains("passed [04-hostile-markdown]", run.Console, StringComparison.Ordinal);

            IPage page = await browser.Instance.NewPageAsync();
            var dialogs = new List<string>();
            page.Dialog += (_, dialog) =>
            {
                dialogs.Add(dialog.Message);
                _ = dialog.DismissAsync();
            };
            await page.GotoAsync(new Uri(Path.Combine(output, "reports", "04-hostile-markdown.html")).AbsoluteUri,
                new() { WaitUntil = WaitUntilState.Load });
            await page.WaitForTimeoutAsync(500);
            var seen = await page.EvaluateAsync<Dictionary<string, string>>("""
                () => ({
                    injected: String(window.cnInjected),
                    scripts: String(document.querySelectorAll('.cn-markdown script').length),
                    handlers: String(document.querySelectorAll('.cn-markdown [onerror], .cn-markdown [onclick]').length),
                    javascriptLinks: String([...document.querySelectorAll('.cn-markdown a')].filter(a => /^javascript:/i.test(a.getAttribute('href') ?? '')).length),
                    fakeBanners: String(document.querySelectorAll('.cn-banner').length),
                    formulas: String(document.querySelectorAll('.cn-markdown .cn-math .katex').length),
                    boldKept: document.querySelector('.cn-markdown b')?.textContent ?? '',
                    ownOutput: document.getElementById('cn-own-output')?.textContent ?? '',
                })
                """);
            Assert.Equal("undefined", seen["injected"]);
            Assert.Equal("0", seen["scripts"]);
            Assert.Equal("0", seen["handlers"]);
            Assert.Equal("0", seen["javascriptLinks"]);
            Assert.Equal("0", seen["fakeBanners"]);
            Assert.Equal("1", seen["formulas"]);
            Assert.Equal("kept", seen["boldKept"]);
            // The notebook's own outputs are the helper's HTML, charts with their scripts: they still run.
            Assert.Equal("ran", seen["ownOutput"]);
            Assert.Empty(dialogs);
        }
        finally
        {
            WorkbookRun.DeleteFolder(output);
            WorkbookRun.DeleteFolder(notebooks);
        }
    }

    private const string HostileMarkdown = """
        # Markdown from elsewhere

        A formula $x^2$ and <b>kept</b> formatting.

        <script>window.cnInjected = 'script'; alert('script');</script>
        <img src="missing.png" onerror="window.cnInjected = 'onerror'; alert('onerror')">
        <a href="javascript:window.cnInjected = 'link'">a link</a>
        <div class="cn-banner cn-banner-failed" onclick="alert('click')">Not the report's banner</div>
        <iframe src="javascript:parent.cnInjected = 'iframe'"></iframe>
        """;

    private const string OwnOutput =
        "display(HTML(\"<div id='cn-own-output'></div><script>document.getElementById('cn-own-output').textContent = 'ran';</script>\"));";

    [Fact]
    public void Ctrl_C_exits_130_and_leaves_the_previous_reports_and_index()
    {
        string output = Directory.CreateTempSubdirectory("workbook-test-").FullName;
        string notebooks = Directory.CreateTempSubdirectory("workbook-notebook-").FullName;
        try
        {
            string notebook = Path.Combine(notebooks, "01-slow.ipynb");
            File.WriteAllText(notebook, TestNotebook.Json("# Quick the first time", "Console.WriteLine(\"quick\");"));
            ToolRun first = ToolRun.Start("--out", output, "--notebooks", notebooks);
            first.WaitForExit(TimeSpan.FromMinutes(10));
            Assert.True(first.ExitCode == 0, $"exit code {first.ExitCode}:\n{first.Console}");
            Dictionary<string, byte[]> before = Snapshot(output);
            Assert.Contains(Path.Combine("reports", "01-slow.html"), before.Keys);

            File.WriteAllText(notebook, TestNotebook.Json("# Slow the second time", "System.Threading.Thread.Sleep(300_000);"));
            ToolRun second = ToolRun.Start("--out", output, "--notebooks", notebooks);
            Assert.True(second.WaitForLine("[01-slow] started", TimeSpan.FromMinutes(5)), second.Console);
            // Long enough for the kernel to start and the notebook to be running, as when a learner presses Ctrl+C.
            Thread.Sleep(TimeSpan.FromSeconds(5));
            // Ctrl+C in a terminal signals the whole process group: the tool, the renderer and the kernel.
            second.Interrupt();
            second.WaitForExit(TimeSpan.FromMinutes(2));

            Assert.True(second.ExitCode == 130, $"exit code {second.ExitCode}:\n{second.Console}");
            Assert.Contains("Interrupted.", second.Console, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot(output), new SnapshotComparer());
            string index = File.ReadAllText(Path.Combine(output, "reports", "index.html"));
            string[] linked = IndexLink().Matches(index).Select(m => Uri.UnescapeDataString(m.Groups["file"].Value)).Distinct().ToArray();
            Assert.Equal(["01-slow.html"], linked);
            Assert.Contains("Quick the first time", index, StringComparison.Ordinal);
        }
        finally
        {
            WorkbookRun.DeleteFolder(output);
            WorkbookRun.DeleteFolder(notebooks);
        }
    }

    [GeneratedRegex("""<a href="(?<file>[^"]+\.html)">""")]
    private static partial Regex IndexLink();

    // Every file under a folder, by relative path, with its bytes.
    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(folder, path), File.ReadAllBytes);

    private sealed class SnapshotComparer : IEqualityComparer<Dictionary<string, byte[]>>
    {
        public bool Equals(Dictionary<string, byte[]>? x, Dictionary<string, byte[]>? y) =>
            x!.Count == y!.Count && x.All(pair => y.TryGetValue(pair.Key, out byte[]? other) && pair.Value.AsSpan().SequenceEqual(other));

        public int GetHashCode(Dictionary<string, byte[]> obj) => obj.Count;
    }
}

/// <summary>
/// The main command run as a process with the arguments given as they are, its console read as it writes, and Ctrl+C sent
/// the way a terminal sends it.
/// </summary>
internal sealed class ToolRun
{
    private readonly Process _process;
    private readonly StringBuilder _console = new();
    private readonly Task _stdout;
    private readonly Task _stderr;

    private ToolRun(Process process)
    {
        _process = process;
        _stdout = Pump(process.StandardOutput);
        _stderr = Pump(process.StandardError);
    }

    /// <summary>Everything printed so far.</summary>
    public string Console
    {
        get
        {
            lock (_console) return _console.ToString();
        }
    }

    /// <summary>The exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet run --project tools/Workbook -- ARGUMENTS</c> in the repository.</summary>
    public static ToolRun Start(params string[] arguments)
    {
        return new ToolRun(Process.Start(WorkbookRun.StartInfo(arguments))!);
    }

    /// <summary>Waits until a printed line contains <paramref name="text"/>; false if the run ended or the time ran out first.</summary>
    public bool WaitForLine(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Console.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return false;
            Thread.Sleep(100);
        }
        return false;
    }

    /// <summary>Waits for the process to exit, killing it if it takes longer than <paramref name="timeout"/>.</summary>
    public void WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            throw new TimeoutException($"The workbook ran longer than {timeout}:\n{Console}");
        }
        Task.WaitAll(_stdout, _stderr);
    }

    /// <summary>
    /// Sends SIGINT to the tool (the child of <c>dotnet run</c>) and every process under it, as Ctrl+C in a terminal does to
    /// the foreground process group.
    /// </summary>
    public void Interrupt()
    {
        int[] targets = Descendants(_process.Id).ToArray();
        Assert.True(targets.Length > 0, "dotnet run has no child process to interrupt.");
        var kill = new ProcessStartInfo("kill") { RedirectStandardError = true };
        kill.ArgumentList.Add("-INT");
        foreach (int pid in targets) kill.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using Process signal = Process.Start(kill)!;
        signal.WaitForExit();
    }

    // The processes below `root`, from /proc: each stat line names the parent after the command in parentheses.
    private static IEnumerable<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // It ended while the list was read.
            }
        }
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out int parent))
        {
            foreach (int child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }
        return found;
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_console) _console.Append(line).Append('\n');
        }
    }
}

/// <summary>
/// The hostile uses run the main command, which builds the helper into the repository's artifacts folder, so they run alone,
/// after the collections that run in parallel, never beside the full run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileUseCollection
{
    public const string Name = "hostile uses of the main command";
}
