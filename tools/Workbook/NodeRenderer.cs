using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conv.Notebook.Workbook;

/// <summary>Something for the renderer to turn into HTML: a formula or a piece of code.</summary>
internal abstract record RenderItem;

/// <summary>A TeX formula, rendered by KaTeX as HTML and MathML.</summary>
/// <param name="Tex">The TeX source, without its dollar signs.</param>
/// <param name="Display">Whether it is a display formula (<c>$$…$$</c>) rather than inline (<c>$…$</c>).</param>
internal sealed record MathItem(string Tex, bool Display) : RenderItem;

/// <summary>Source code, highlighted by highlight.js.</summary>
/// <param name="Code">The code.</param>
/// <param name="Language">A highlight.js language name; unknown ones fall back to C#.</param>
internal sealed record CodeItem(string Code, string Language) : RenderItem;

/// <summary>The renderer's answer for one item: its HTML, or why it could not be rendered.</summary>
/// <param name="Html">The HTML, when it rendered.</param>
/// <param name="Error">KaTeX's or highlight.js's message, when it did not.</param>
internal sealed record RenderResult(string? Html, string? Error);

/// <summary>
/// One <c>node render.mjs</c> process for the whole run, rendering formulas with KaTeX and code with
/// highlight.js. Requests and answers are JSON lines; one request at a time, so notebooks finishing together
/// take turns.
/// </summary>
internal sealed class NodeRenderer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _nextId;

    private NodeRenderer(Process process, string nodeVersion)
    {
        _process = process;
        NodeVersion = nodeVersion;
    }

    /// <summary>The Node.js version running the renderer, such as <c>node v20.20.2</c>.</summary>
    public string NodeVersion { get; }

    /// <summary>Starts the renderer and checks that it answers.</summary>
    /// <param name="renderDirectory">The folder holding <c>render.mjs</c> and its installed packages.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running renderer.</returns>
    /// <exception cref="SetUpException">Node is missing or the renderer does not answer.</exception>
    public static async Task<NodeRenderer> StartAsync(string renderDirectory, CancellationToken cancellationToken)
    {
        ProcessResult version = await ProcessRunner.RunAsync("node", ["--version"], renderDirectory, cancellationToken: cancellationToken);
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = renderDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(Path.Combine(renderDirectory, "render.mjs"));
        var process = new Process { StartInfo = startInfo };
        ProcessRunner.Start(process);
        var renderer = new NodeRenderer(process, "node " + version.Output.Trim());
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (renderer._stderr) renderer._stderr.Append(e.Data).Append('\n');
        };
        process.BeginErrorReadLine();

        IReadOnlyList<RenderResult> probe;
        try
        {
            probe = await renderer.RenderAsync([new MathItem("x^2", false), new CodeItem("var x = 1;", "csharp")], cancellationToken);
        }
        catch (RendererException e)
        {
            await renderer.DisposeAsync();
            throw new SetUpException($"The renderer (node render.mjs in {renderDirectory}) did not start: {e.Message}");
        }
        if (probe.Any(r => r.Html is null))
        {
            await renderer.DisposeAsync();
            throw new SetUpException($"The renderer failed its first formula: {probe.First(r => r.Html is null).Error}");
        }
        return renderer;
    }

    /// <summary>Renders items in one round trip.</summary>
    /// <param name="items">The formulas and code.</param>
    /// <param name="cancellationToken">Cancels the wait for a turn.</param>
    /// <returns>One result per item, in order.</returns>
    /// <exception cref="RendererException">The renderer process died or answered nonsense.</exception>
    public async Task<IReadOnlyList<RenderResult>> RenderAsync(IReadOnlyList<RenderItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return [];
        await _turn.WaitAsync(cancellationToken);
        try
        {
            long id = ++_nextId;
            string request = new JsonObject { ["id"] = id, ["items"] = new JsonArray(items.Select(ToJson).ToArray()) }
                .ToJsonString();
            string? answer;
            try
            {
                await _process.StandardInput.WriteLineAsync(request.AsMemory(), cancellationToken);
                await _process.StandardInput.FlushAsync(cancellationToken);
                answer = await _process.StandardOutput.ReadLineAsync(cancellationToken);
            }
            catch (IOException e)
            {
                throw new RendererException($"{e.Message}\n{Stderr()}");
            }
            if (answer is null) throw new RendererException($"it exited.\n{Stderr()}");
            return Parse(answer, id, items.Count);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Ends the renderer by closing its input, and stops it if it lingers.</summary>
    /// <returns>A task that completes when it has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            ProcessRunner.StopTree(_process);
        }
        _process.Dispose();
        _turn.Dispose();
    }

    private static JsonNode ToJson(RenderItem item) => item switch
    {
        MathItem math => new JsonObject { ["math"] = math.Tex, ["display"] = math.Display },
        CodeItem code => new JsonObject { ["code"] = code.Code, ["language"] = code.Language },
        _ => throw new ArgumentException($"Unknown render item {item.GetType().Name}.", nameof(item)),
    };

    private static RenderResult[] Parse(string answer, long id, int count)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(answer);
            JsonElement root = json.RootElement;
            if (!root.TryGetProperty("id", out JsonElement answered) || answered.ValueKind != JsonValueKind.Number || answered.GetInt64() != id)
            {
                throw new RendererException($"it answered request {id} with {Shorten(answer)}");
            }
            RenderResult[] results = root.GetProperty("results").EnumerateArray()
                .Select(r => new RenderResult(
                    r.TryGetProperty("html", out JsonElement html) ? html.GetString() : null,
                    r.TryGetProperty("error", out JsonElement error) ? error.GetString() : null))
                .ToArray();
            return results.Length == count
                ? results
                : throw new RendererException($"it answered {results.Length} items of {count}.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new RendererException($"it answered {Shorten(answer)}: {e.Message}");
        }
    }

    private string Stderr()
    {
        lock (_stderr) return _stderr.ToString().Trim();
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

/// <summary>The renderer process failed as a whole, not just on one item.</summary>
/// <param name="message">What went wrong.</param>
internal sealed class RendererException(string message) : Exception(message);
