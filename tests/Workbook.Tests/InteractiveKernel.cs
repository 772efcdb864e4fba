using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbook.Tests;

/// <summary>What one code cell produced in the kernel.</summary>
/// <param name="Cell">The cell's 1-based number among all the notebook's cells.</param>
/// <param name="FirstLine">The first non-blank line of the cell's source.</param>
/// <param name="Error">The kernel's message when the cell failed; null when it succeeded.</param>
/// <param name="Outputs">The formatted values the cell displayed, returned or printed, each in every MIME type it came in.</param>
internal sealed record KernelCell(int Cell, string FirstLine, string? Error, IReadOnlyList<KernelOutput> Outputs);

/// <summary>One formatted value of a cell's output.</summary>
/// <param name="MimeType">Its type, such as <c>text/html</c>.</param>
/// <param name="Value">The text.</param>
internal sealed record KernelOutput(string MimeType, string Value);

/// <summary>
/// The pinned <c>Microsoft.dotnet-interactive</c> kernel, started as VS Code's Polyglot Notebooks starts it
/// (<c>dotnet tool run dotnet-interactive -- [vscode] stdio --working-dir DIR</c>) and driven over its stdio
/// protocol: one JSON command envelope per line in, one event envelope per line out.
/// </summary>
internal sealed class InteractiveKernel : IDisposable
{
    // Events that carry a cell's output: what VS Code shows under the cell.
    private static readonly HashSet<string> OutputEvents =
    [
        "DisplayedValueProduced", "DisplayedValueUpdated", "ReturnValueProduced",
        "StandardOutputValueProduced", "StandardErrorValueProduced",
    ];

    private readonly Process _process;
    private readonly Task<string> _stderr;
    private int _token;
    private bool _ready;

    private InteractiveKernel(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>
    /// Starts the kernel, working in <paramref name="workingDirectory"/>, with the environment a learner's shell has: the
    /// variables the project's own tools set (the helper-is-built flag, the collector settings) are removed.
    /// </summary>
    public static InteractiveKernel Start(string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            // The local tool is found from the repository; the kernel then works in the notebook's folder, as VS Code sets it.
            WorkingDirectory = WorkbookRun.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string name in start.Environment.Keys
                     .Where(k => k.StartsWith("DOTNET_GC", StringComparison.Ordinal) || k.StartsWith("CONV_NOTEBOOK", StringComparison.Ordinal))
                     .ToArray())
        {
            start.Environment.Remove(name);
        }
        foreach (string a in new[] { "tool", "run", "dotnet-interactive", "--", "[vscode]", "stdio", "--working-dir", workingDirectory })
        {
            start.ArgumentList.Add(a);
        }
        return new InteractiveKernel(Process.Start(start)!);
    }

    /// <summary>
    /// Submits every code cell of a notebook in order, as "Run All" does, and stops at the first cell that fails.
    /// </summary>
    /// <param name="notebookPath">The notebook.</param>
    /// <param name="timeout">How long the whole notebook may take.</param>
    /// <returns>The cells that ran, the failed one last.</returns>
    public async Task<IReadOnlyList<KernelCell>> RunAsync(string notebookPath, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        if (!_ready)
        {
            if (await ReadyAsync(deadline.Token) is { } failure) return [new KernelCell(0, "", failure, [])];
            _ready = true;
        }
        JsonNode notebook = JsonNode.Parse(await File.ReadAllTextAsync(notebookPath))!;
        var cells = new List<KernelCell>();
        int number = 0;
        foreach (JsonNode? cell in notebook["cells"]!.AsArray())
        {
            number++;
            if ((string?)cell!["cell_type"] != "code") continue;
            string source = string.Concat(cell["source"]!.AsArray().Select(line => (string?)line));
            string kernel = (string?)cell["metadata"]?["polyglot_notebook"]?["kernelName"] ?? "csharp";
            (string? error, List<KernelOutput> outputs) = await SubmitAsync(source, kernel, deadline.Token);
            string firstLine = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            cells.Add(new KernelCell(number, firstLine, error, outputs));
            if (error is not null) break;
        }
        return cells;
    }

    /// <summary>
    /// Waits for the kernel's <c>KernelReady</c> event, as VS Code does before it sends a cell; returns why it never came,
    /// or null.
    /// </summary>
    private async Task<string?> ReadyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return "the kernel did not say it was ready in time";
            }
            if (line is null) return await EndedAsync();
            if (line.StartsWith('{') && line.Contains("\"eventType\":\"KernelReady\"", StringComparison.Ordinal)) return null;
        }
    }

    private async Task<string> EndedAsync() =>
        $"the kernel ended (exit code {(_process.WaitForExit(5000) ? _process.ExitCode : -1)}):\n{Tail(await _stderr)}";

    private async Task<(string? Error, List<KernelOutput> Outputs)> SubmitAsync(string code, string kernel, CancellationToken cancellationToken)
    {
        string token = (++_token).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var envelope = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = kernel },
        };
        await _process.StandardInput.WriteLineAsync(envelope.ToJsonString());
        await _process.StandardInput.FlushAsync(cancellationToken);

        var outputs = new List<KernelOutput>();
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return ("the kernel did not finish the cell in time", outputs);
            }
            if (line is null)
            {
                return (await EndedAsync(), outputs);
            }
            if (!line.StartsWith('{')) continue;
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            if (!root.TryGetProperty("eventType", out JsonElement type)) continue;
            // Events of the kernel's own sub-commands carry tokens such as "1.1"; this cell's output may come from them too.
            string? eventToken = root.TryGetProperty("command", out JsonElement command) && command.ValueKind == JsonValueKind.Object
                                 && command.TryGetProperty("token", out JsonElement t) ? t.GetString() : null;
            bool ours = eventToken == token || eventToken?.StartsWith(token + ".", StringComparison.Ordinal) == true;
            if (!ours) continue;
            string eventType = type.GetString()!;
            if (OutputEvents.Contains(eventType) && root.GetProperty("event").TryGetProperty("formattedValues", out JsonElement values))
            {
                outputs.AddRange(values.EnumerateArray().Select(v => new KernelOutput(
                    v.GetProperty("mimeType").GetString() ?? "", v.GetProperty("value").GetString() ?? "")));
            }
            if (eventToken != token) continue;
            if (eventType == "CommandSucceeded") return (null, outputs);
            if (eventType == "CommandFailed") return (root.GetProperty("event").GetProperty("message").GetString() ?? "failed", outputs);
        }
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));

    /// <summary>Ends the kernel: closing its input ends the stdio loop; a kernel that lingers is killed.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
