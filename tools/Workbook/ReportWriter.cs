using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace Conv.Notebook.Workbook;

/// <summary>
/// Writes one notebook's report: a self-contained HTML page with the markdown typeset, formulas rendered by
/// KaTeX (HTML to see, MathML for screen readers), code highlighted and every output in place, and, for a
/// notebook that failed, a red banner at the top naming the cell and the error.
/// </summary>
/// <remarks>
/// Class names that tests and styles rely on: <c>body.cn-report.cn-passed|cn-failed</c>;
/// <c>div.cn-banner.cn-banner-failed</c>; <c>section.cn-cell</c> with <c>id="cell-N"</c> and
/// <c>data-cell="N"</c>, plus <c>cn-markdown</c>, <c>cn-code</c>, <c>cn-raw</c>, <c>cn-setup</c> and
/// <c>cn-cell-failed</c>; <c>div.cn-source</c>; <c>div.cn-outputs</c> holding <c>.cn-output</c> elements
/// (<c>cn-output-html</c>, <c>cn-output-text</c>, <c>cn-output-image</c>, <c>cn-output-stream</c>,
/// <c>cn-output-error</c>); <c>pre.cn-error</c>; <c>span.cn-math</c> and <c>div.cn-math.cn-math-display</c>;
/// <c>code.cn-math-error</c> for a formula KaTeX refused; the helper's own <c>div.cn-chart</c>.
/// </remarks>
/// <param name="renderer">Renders formulas and code.</param>
/// <param name="assets">The CSS and scripts to inline.</param>
/// <param name="replVersion">The dotnet-repl version, for the footer.</param>
internal sealed partial class ReportWriter(NodeRenderer renderer, ReportAssets assets, string replVersion)
{
    private static readonly Dictionary<string, string> HighlightLanguages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["csharp"] = "csharp",
        ["fsharp"] = "fsharp",
        ["pwsh"] = "powershell",
        ["powershell"] = "powershell",
        ["javascript"] = "javascript",
        ["html"] = "xml",
        ["sql"] = "sql",
        ["http"] = "http",
        ["markdown"] = "markdown",
        ["mermaid"] = "plaintext",
        ["value"] = "plaintext",
    };

    /// <summary>Builds the report of a notebook and writes it into place.</summary>
    /// <param name="run">dotnet-repl's run of the notebook.</param>
    /// <param name="notebook">The executed notebook, or the authored one when no executed copy could be read.</param>
    /// <param name="problem">What went wrong with the run as a whole, or null.</param>
    /// <param name="reportPath">Where the report goes.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The notebook's outcome, including formulas that failed to render.</returns>
    public async Task<NotebookOutcome> WriteAsync(
        NotebookRun run,
        ExecutedNotebook notebook,
        string? problem,
        string reportPath,
        CancellationToken cancellationToken)
    {
        Rendered rendered = await RenderAsync(notebook, cancellationToken);
        var failures = new List<CellFailure>();
        foreach (NotebookCell cell in notebook.Cells)
        {
            failures.AddRange(cell.Errors.Select(e => new CellFailure(cell.Number, cell.FirstLine, e.Message)));
            if (rendered.FormulaErrors.TryGetValue(cell.Number, out List<string>? formulaErrors))
            {
                failures.AddRange(formulaErrors.Select(e => new CellFailure(cell.Number, cell.FirstLine, e)));
            }
        }
        var outcome = new NotebookOutcome(
            run.Notebook,
            notebook.Title ?? run.Notebook.Name,
            run.Process.Elapsed,
            failures.OrderBy(f => f.Cell).ToArray(),
            problem,
            reportPath);
        string html = Page(outcome, notebook, rendered, DateTimeOffset.UtcNow);
        await AtomicFile.WriteAllTextAsync(reportPath, html, cancellationToken);
        return outcome;
    }

    private sealed record Rendered(
        Dictionary<int, ParsedMarkdown> Markdown,
        Dictionary<MarkdownObject, string> Formulas,
        Dictionary<int, string> Code,
        Dictionary<int, List<string>> FormulaErrors);

    // Every formula and code cell of the notebook goes to the renderer in one request.
    private async Task<Rendered> RenderAsync(ExecutedNotebook notebook, CancellationToken cancellationToken)
    {
        var markdown = new Dictionary<int, ParsedMarkdown>();
        var items = new List<RenderItem>();
        var owners = new List<(int Cell, MarkdownObject? Node)>();
        foreach (NotebookCell cell in notebook.Cells)
        {
            if (cell.Kind == CellKind.Markdown)
            {
                ParsedMarkdown parsed = MarkdownRenderer.Parse(cell.Source);
                markdown[cell.Number] = parsed;
                foreach ((MarkdownObject node, MathItem item) in parsed.Formulas)
                {
                    items.Add(item);
                    owners.Add((cell.Number, node));
                }
            }
            else if (cell.Kind == CellKind.Code && cell.Source.Length > 0)
            {
                items.Add(new CodeItem(cell.Source, HighlightLanguages.GetValueOrDefault(cell.Language, "csharp")));
                owners.Add((cell.Number, null));
            }
        }

        IReadOnlyList<RenderResult> results = await renderer.RenderAsync(items, cancellationToken);
        var rendered = new Rendered(markdown, [], [], []);
        for (int i = 0; i < items.Count; i++)
        {
            (int cell, MarkdownObject? node) = owners[i];
            RenderResult result = results[i];
            switch (items[i], node)
            {
                case (MathItem, not null) when result.Html is not null:
                    rendered.Formulas[node] = result.Html;
                    break;
                case (MathItem math, not null):
                    string error = $"KaTeX could not render the formula {Delimited(math)}: {result.Error}";
                    rendered.Formulas[node] =
                        $"<code class=\"cn-math-error\" title=\"{Encode(result.Error ?? "")}\">{Encode(Delimited(math))}</code>";
                    if (!rendered.FormulaErrors.TryGetValue(cell, out List<string>? errors)) rendered.FormulaErrors[cell] = errors = [];
                    errors.Add(error);
                    break;
                case (CodeItem code, null):
                    rendered.Code[cell] = result.Html ?? Encode(code.Code);
                    break;
            }
        }
        return rendered;
    }

    private string Page(NotebookOutcome outcome, ExecutedNotebook notebook, Rendered rendered, DateTimeOffset finished)
    {
        bool hasChart = notebook.Cells.SelectMany(c => c.Outputs).OfType<RichOutput>()
            .Any(o => o.Get("text/html") is { } html && ReportAssets.HasChart(html));
        string status = outcome.Passed ? ReportSummary.PassedStatus : ReportSummary.FailedStatus;
        var failedCells = outcome.Failures.Select(f => f.Cell).ToHashSet();

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(ReportSummary.Of(outcome, finished).ToMetaTags())
            .Append("<title>").Append(outcome.Passed ? "" : "FAILED · ").Append(Encode(outcome.Title)).Append(" · ")
            .Append(Encode(outcome.Notebook.Name)).Append("</title>\n")
            .Append("<style>\n").Append(assets.Css).Append("\n</style>\n");
        if (rendered.Formulas.Count > 0)
        {
            html.Append("<style>\n").Append(assets.KatexCss(rendered.Formulas.Values)).Append("\n</style>\n");
        }
        // Defined before any output's script runs, so that charts draw with it instead of fetching it.
        if (hasChart) html.Append("<script>\n").Append(assets.PlotlyJs).Append("\n</script>\n");
        html.Append("</head>\n<body class=\"cn-report cn-").Append(status).Append("\">\n");
        if (!outcome.Passed) Banner(html, outcome);
        html.Append("<div class=\"cn-page\">\n<nav class=\"cn-nav\"><a href=\"index.html\">← All notebooks</a>")
            .Append("<span class=\"cn-runinfo\"><span class=\"cn-status cn-status-").Append(status).Append("\">").Append(status)
            .Append("</span> ").Append(Encode(outcome.Notebook.Name)).Append(".ipynb · ran in ")
            .Append(ConsoleLog.Seconds(outcome.Elapsed)).Append(" · ")
            .Append(finished.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append("</span></nav>\n")
            .Append("<main class=\"cn-notebook\">\n");
        foreach (NotebookCell cell in notebook.Cells)
        {
            Cell(html, cell, rendered, failedCells.Contains(cell.Number));
        }
        html.Append("</main>\n<footer class=\"cn-footer\">")
            .Append(outcome.Passed ? "Every cell ran without error" : "This run FAILED")
            .Append(" · run headlessly with dotnet-repl ").Append(Encode(replVersion))
            .Append(" · <a href=\"index.html\">All notebooks</a></footer>\n</div>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Banner(StringBuilder html, NotebookOutcome outcome)
    {
        html.Append("<div class=\"cn-banner cn-banner-failed\" role=\"alert\">\n<p class=\"cn-banner-title\"><strong>This notebook FAILED");
        if (outcome.Failures.FirstOrDefault() is { } first)
        {
            html.Append(" at <a href=\"#cell-").Append(first.Cell).Append("\">cell ").Append(first.Cell).Append("</a>");
        }
        html.Append(".</strong> This is not a complete run: what follows the failure may be missing or wrong.</p>\n");
        if (outcome.Problem is not null)
        {
            html.Append("<pre class=\"cn-error\">").Append(Encode(outcome.Problem)).Append("</pre>\n");
        }
        if (outcome.Failures.Count > 0)
        {
            html.Append("<ol class=\"cn-failures\">\n");
            foreach (CellFailure failure in outcome.Failures)
            {
                html.Append("<li><a href=\"#cell-").Append(failure.Cell).Append("\">Cell ").Append(failure.Cell).Append("</a> <code>")
                    .Append(Encode(failure.FirstLine)).Append("</code>\n<pre class=\"cn-error\">").Append(Encode(failure.Message))
                    .Append("</pre></li>\n");
            }
            html.Append("</ol>\n");
        }
        html.Append("</div>\n");
    }

    private static void Cell(StringBuilder html, NotebookCell cell, Rendered rendered, bool failed)
    {
        switch (cell.Kind)
        {
            case CellKind.Markdown:
                Open(html, cell, "cn-markdown", failed);
                html.Append(MarkdownRenderer.ToHtml(rendered.Markdown[cell.Number], rendered.Formulas));
                break;
            case CellKind.Raw:
                if (cell.Source.Trim().Length == 0) return;
                Open(html, cell, "cn-raw", failed);
                html.Append("<pre>").Append(Encode(cell.Source)).Append("</pre>");
                break;
            default:
                if (cell.Source.Trim().Length == 0 && cell.Outputs.Count == 0) return;
                Open(html, cell, cell.IsSetup ? "cn-code cn-setup" : "cn-code", failed);
                if (cell.IsSetup)
                {
                    html.Append(failed ? "<details open>" : "<details>").Append("<summary>").Append(Encode(SetupSummary(cell)))
                        .Append("</summary>\n");
                }
                if (failed) html.Append("<div class=\"cn-cell-flag\">✗ This cell failed</div>\n");
                if (cell.Source.Length > 0)
                {
                    string language = HighlightLanguages.GetValueOrDefault(cell.Language, "csharp");
                    html.Append("<div class=\"cn-source\"><span class=\"cn-cell-number\" title=\"cell ").Append(cell.Number).Append("\">[")
                        .Append(cell.Number).Append("]</span><pre><code class=\"hljs language-").Append(language).Append("\">")
                        .Append(rendered.Code.GetValueOrDefault(cell.Number) ?? Encode(cell.Source)).Append("</code></pre></div>\n");
                }
                if (cell.Outputs.Count > 0)
                {
                    html.Append("<div class=\"cn-outputs\">\n");
                    foreach (CellOutput output in cell.Outputs) Output(html, output);
                    html.Append("</div>\n");
                }
                if (cell.IsSetup) html.Append("</details>\n");
                break;
        }
        html.Append("</section>\n");
    }

    private static void Open(StringBuilder html, NotebookCell cell, string kind, bool failed) =>
        html.Append("<section class=\"cn-cell ").Append(kind).Append(failed ? " cn-cell-failed" : "")
            .Append("\" id=\"cell-").Append(cell.Number).Append("\" data-cell=\"").Append(cell.Number).Append("\">\n");

    private static void Output(StringBuilder html, CellOutput output)
    {
        switch (output)
        {
            case RichOutput rich when rich.Get("text/html") is { } markup:
                // The helper's own HTML (tables, charts and their scripts), trusted and kept as it is, but for the
                // plotly.js a kernel session's first chart brings: the report has it once, in its head.
                html.Append("<div class=\"cn-output cn-output-html\">").Append(ReportAssets.WithoutPlotlyBundle(markup))
                    .Append("</div>\n");
                break;
            case RichOutput rich when rich.Get("image/svg+xml") is { } svg:
                html.Append("<div class=\"cn-output cn-output-image\">").Append(svg).Append("</div>\n");
                break;
            case RichOutput rich when Image(rich) is ({ } mime, { } data):
                html.Append("<div class=\"cn-output cn-output-image\"><img alt=\"\" src=\"data:").Append(mime).Append(";base64,")
                    .Append(Regex.Replace(data, @"\s", "")).Append("\"></div>\n");
                break;
            case RichOutput rich when (rich.Get("text/plain") ?? rich.Get("application/json")) is { } text:
                html.Append("<pre class=\"cn-output cn-output-text\">").Append(Encode(Plain(text))).Append("</pre>\n");
                break;
            case StreamOutput stream when stream.Text.Length > 0:
                html.Append("<pre class=\"cn-output cn-output-stream cn-stream-").Append(Encode(stream.Name)).Append("\">")
                    .Append(Encode(Plain(stream.Text).TrimEnd('\n'))).Append("</pre>\n");
                break;
            case ErrorOutput error:
                html.Append("<div class=\"cn-output cn-output-error\"><pre class=\"cn-error\">").Append(Encode(Plain(error.Message)))
                    .Append("</pre>");
                if (error.StackTrace.Length > 0)
                {
                    html.Append("<details class=\"cn-trace\"><summary>Stack trace</summary><pre>").Append(Encode(Plain(error.StackTrace)))
                        .Append("</pre></details>");
                }
                html.Append("</div>\n");
                break;
        }
    }

    private static (string? Mime, string? Data) Image(RichOutput output) =>
        output.Get("image/png") is { } png ? ("image/png", png)
        : output.Get("image/jpeg") is { } jpeg ? ("image/jpeg", jpeg)
        : output.Get("image/gif") is { } gif ? ("image/gif", gif)
        : (null, null);

    private static string SetupSummary(NotebookCell cell)
    {
        string first = cell.Source.TrimStart().Split('\n', 2)[0].Trim();
        string what = first["// setup".Length..].TrimStart(' ', ':', '-', '—', '–').Trim();
        int lines = cell.Source.TrimEnd().Split('\n').Length;
        return what.Length > 0 ? $"Set-up: {what}" : $"Set-up code ({lines} line{(lines == 1 ? "" : "s")})";
    }

    private static string Delimited(MathItem math) => math.Display ? $"$${math.Tex}$$" : $"${math.Tex}$";

    // Terminal colour codes mean nothing in a page.
    private static string Plain(string text) => AnsiEscape().Replace(text, "");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
