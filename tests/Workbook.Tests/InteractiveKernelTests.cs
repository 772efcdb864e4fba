using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Workbook.Tests;

/// <summary>
/// Every committed notebook, run cell by cell in the pinned <c>Microsoft.dotnet-interactive</c> kernel that VS Code's
/// Polyglot Notebooks and Jupyter start, with a learner's environment: nothing set by the project, so the first cell
/// builds the helper itself. Its outputs must draw offline: no script comes from another site, and in one page, as
/// VS Code shows a notebook's outputs, every chart draws with the network blocked.
/// </summary>
[Collection(InteractiveKernelCollection.Name)]
public sealed partial class InteractiveKernelTests(Browser browser, ITestOutputHelper log) : IClassFixture<Browser>
{
    public static TheoryData<string> Notebooks => new(WorkbookRun.Notebooks);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_in_the_interactive_kernel_with_no_remote_script(string name)
    {
        string notebooks = Path.Combine(WorkbookRun.Root, "notebooks");
        using var kernel = InteractiveKernel.Start(notebooks);

        IReadOnlyList<KernelCell> cells = await kernel.RunAsync(Path.Combine(notebooks, name), TimeSpan.FromMinutes(10));

        KernelCell? failed = cells.FirstOrDefault(c => c.Error is not null);
        Assert.True(failed is null, $"{name}, cell {failed?.Cell} ({failed?.FirstLine}) failed in dotnet-interactive:\n{failed?.Error}");
        Assert.True(cells.Count > 0, $"{name} has no code cell");
        string[] remote = cells
            .SelectMany(c => c.Outputs.SelectMany(o => RemoteScript().Matches(o.Value)).Select(m => $"cell {c.Cell}: {m.Value}"))
            .ToArray();
        Assert.True(remote.Length == 0, $"{name} loads scripts from other sites: {string.Join("; ", remote)}");
        await AssertChartsDrawOffline(name, cells);
    }

    /// <summary>
    /// The measurement of <see cref="KernelEnvironmentTests"/> in the kernel learners use, which runs with the server
    /// garbage collector (its own runtimeconfig.json asks for it): large results reuse their memory there too. The
    /// helper is built and loaded by notebook 1's set-up cells, as a learner's notebook does.
    /// </summary>
    [Fact]
    public async Task Large_results_reuse_their_memory_in_the_interactive_kernel()
    {
        string notebooks = Path.Combine(WorkbookRun.Root, "notebooks");
        var setup = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(notebooks, "01-output-shape.ipynb")))!["cells"]!
            .AsArray()
            .Where(c => (string?)c!["cell_type"] == "code")
            .Select(c => string.Concat(c!["source"]!.AsArray().Select(l => (string?)l)))
            .TakeWhile(source => source.StartsWith("// setup", StringComparison.Ordinal))
            .ToArray();
        Assert.True(setup.Length >= 2, "notebook 1 opens with its set-up cells");
        string folder = Directory.CreateTempSubdirectory("kernel-notebook-").FullName;
        string notebook = Path.Combine(folder, "01-memory.ipynb");
        await File.WriteAllTextAsync(notebook, TestNotebook.Json("# Memory of large results in dotnet-interactive",
            [.. setup,
            KernelEnvironmentTests.StemPageFaults + "\n" + """
            Console.WriteLine($"server GC: {System.Runtime.GCSettings.IsServerGC}; page faults per stem call: {perCall:0.0}");
            """]));
        try
        {
            using var kernel = InteractiveKernel.Start(notebooks);
            IReadOnlyList<KernelCell> cells = await kernel.RunAsync(notebook, TimeSpan.FromMinutes(5));

            KernelCell? failed = cells.FirstOrDefault(c => c.Error is not null);
            Assert.True(failed is null, $"cell {failed?.Cell} failed: {failed?.Error}");
            string line = cells[^1].Outputs.Select(o => o.Value).FirstOrDefault(v => v.Contains("page faults", StringComparison.Ordinal)) ?? "";
            Match measured = Regex.Match(line, @"server GC: (\w+); page faults per stem call: ([\d.]+)");
            Assert.True(measured.Success, $"no measurement in the last cell's output: {line}");
            log.WriteLine(line.Trim());
            double perCall = double.Parse(measured.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(perCall <= 40, $"{line.Trim()}: the stem's 3.2 MB outputs are fresh memory (785 pages each)");
        }
        finally
        {
            WorkbookRun.DeleteFolder(folder);
        }
    }

    /// <summary>
    /// A cell that throws stops the run there and is named by its number among all cells; the kernel sees none of the
    /// variables the project's tools set, even when the shell that runs the tests has them, and works in the notebook's folder.
    /// </summary>
    [Fact]
    public async Task A_failing_cell_is_named_and_the_kernel_has_a_learners_environment()
    {
        string folder = Directory.CreateTempSubdirectory("kernel-notebook-").FullName;
        string notebook = Path.Combine(folder, "01-fails.ipynb");
        await File.WriteAllTextAsync(notebook, TestNotebook.Json("# Fails in its third cell",
            """
            var set = Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Where(k => k.StartsWith("DOTNET_GC") || k.StartsWith("CONV_NOTEBOOK")).ToArray();
            Console.WriteLine($"project variables: {set.Length}");
            Console.WriteLine($"working in {Environment.CurrentDirectory}");
            """,
            "throw new InvalidOperationException(\"the second code cell fails\");",
            "Console.WriteLine(\"never runs\");"));
        Environment.SetEnvironmentVariable("CONV_NOTEBOOK_PREBUILT", "1");
        Environment.SetEnvironmentVariable("DOTNET_GCgen0size", "4000000");
        try
        {
            using var kernel = InteractiveKernel.Start(folder);
            IReadOnlyList<KernelCell> cells = await kernel.RunAsync(notebook, TimeSpan.FromMinutes(5));

            Assert.True(cells.Count == 2, string.Join("\n", cells.Select(c => $"cell {c.Cell}: {c.Error}")));
            Assert.Equal([2, 3], cells.Select(c => c.Cell));
            Assert.Null(cells[0].Error);
            Assert.Contains(cells[0].Outputs, o => o.Value.Contains("project variables: 0", StringComparison.Ordinal));
            Assert.Contains(cells[0].Outputs, o => o.Value.Contains($"working in {folder}", StringComparison.Ordinal));
            Assert.Contains("the second code cell fails", cells[1].Error);
            Assert.StartsWith("throw new InvalidOperationException", cells[1].FirstLine, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CONV_NOTEBOOK_PREBUILT", null);
            Environment.SetEnvironmentVariable("DOTNET_GCgen0size", null);
            WorkbookRun.DeleteFolder(folder);
        }
    }

    /// <summary>
    /// The cells' HTML outputs in order in one page, as VS Code's notebook view holds them, opened with every request
    /// that is not the page itself blocked: every chart draws and no script fails.
    /// </summary>
    private async Task AssertChartsDrawOffline(string name, IReadOnlyList<KernelCell> cells)
    {
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(name)).Append("</title></head>\n<body>\n");
        foreach (KernelCell cell in cells)
        {
            foreach (KernelOutput output in cell.Outputs.Where(o => o.MimeType == "text/html"))
            {
                html.Append("<div class=\"output\" data-cell=\"").Append(cell.Cell).Append("\">\n").Append(output.Value).Append("\n</div>\n");
            }
        }
        html.Append("</body>\n</html>\n");
        if (!html.ToString().Contains("class=\"cn-chart\"", StringComparison.Ordinal)) return;
        string path = Path.Combine(Path.GetTempPath(), $"kernel-outputs-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(path, html.ToString());
        try
        {
            var errors = new List<string>();
            await using OfflineContext offline = await browser.OfflineContextAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
            var (context, blocked) = offline;
            IPage page = await context.NewPageAsync();
            page.PageError += (_, error) => errors.Add(error);
            await page.GotoAsync(new Uri(path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
            int charts = await page.Locator(".cn-chart").CountAsync();
            try
            {
                await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.cn-chart')].every(c => c.querySelector('svg.main-svg'))",
                    null, new() { Timeout = 30_000 });
            }
            catch (TimeoutException)
            {
                // Counted below, with what was blocked and what failed.
            }
            int drawn = await page.Locator(".cn-chart:has(svg.main-svg)").CountAsync();

            Assert.True(blocked.Count == 0, $"{name}'s outputs request {string.Join(", ", blocked)}");
            Assert.True(errors.Count == 0, $"{name}'s outputs fail: {string.Join("; ", errors)}");
            Assert.True(drawn == charts, $"{name}: {drawn} of {charts} charts drew in a page of its outputs");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("<script src=\"https://cdn.plot.ly/plotly-2.28.0.min.js\"></script>")]
    [InlineData("<script type='text/javascript' src='//example.org/x.js'></script>")]
    [InlineData("script.src = 'https://cdn.plot.ly/plotly-2.28.0.min.js';")]
    [InlineData("require.config({ paths: { plotly: 'https://cdn.plot.ly/plotly-2.28.0.min' } })")]
    public void The_remote_script_pattern_finds_a_remote_script(string html) => Assert.Matches(RemoteScript(), html);

    [Theory]
    [InlineData("<script>var a = 'https://example.org/page';</script>")]
    [InlineData("<script src=\"data:text/javascript;base64,AAAA\"></script>")]
    [InlineData("<a href=\"https://d2l.ai\">D2L</a>")]
    public void The_remote_script_pattern_passes_a_local_one(string html) => Assert.DoesNotMatch(RemoteScript(), html);

    /// <summary>
    /// A script element's or a script object's source on another site, or a require.js path to one. (plotly.js itself
    /// names its CDN, as where map outlines come from, which no chart here draws.)
    /// </summary>
    [GeneratedRegex(@"(?i)\bsrc\s*=\s*[""']?(https?:)?//|paths\s*:\s*\{[^}]*https?://")]
    private static partial Regex RemoteScript();
}

/// <summary>
/// The kernel tests run alone, after the other collections: notebook 4 times the helper, and a notebook sharing the
/// machine's two cores with the main command's run would measure the load instead.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InteractiveKernelCollection
{
    public const string Name = "interactive kernel";
}
