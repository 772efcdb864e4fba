using System.Globalization;
using System.Net;
using System.Text;

namespace Conv.Notebook.Workbook;

/// <summary>
/// Writes <c>reports/index.html</c>, linking every report in the folder, whether this run wrote it or an earlier
/// one did, with its title, status and run time read from the report itself.
/// </summary>
/// <remarks>
/// Class names: <c>body.cn-index-page</c>; <c>table.cn-index</c> whose rows are <c>tr.cn-passed</c> or
/// <c>tr.cn-failed</c> with <c>data-notebook="NAME"</c>; <c>div.cn-banner.cn-banner-failed</c> when any failed.
/// </remarks>
/// <param name="assets">The CSS to inline.</param>
internal sealed class IndexWriter(ReportAssets assets)
{
    /// <summary>The index's file name.</summary>
    public const string FileName = "index.html";

    /// <summary>Whether a file is an index this tool wrote: its body has the index page's class.</summary>
    /// <param name="path">The file.</param>
    /// <returns>True for an index of this tool's.</returns>
    public static bool IsIndex(string path)
    {
        // The body follows the inlined styles, which take tens of kilobytes; an index is small, so all of it is read.
        var info = new FileInfo(path);
        return info.Length < 16 * 1024 * 1024 && File.ReadAllText(path).Contains("<body class=\"cn-index-page", StringComparison.Ordinal);
    }

    /// <summary>Writes the index of the reports in a folder.</summary>
    /// <param name="reportsDirectory">The folder holding the reports.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The summaries listed, in name order.</returns>
    public async Task<IReadOnlyList<ReportSummary>> WriteAsync(string reportsDirectory, CancellationToken cancellationToken)
    {
        ReportSummary[] reports = Directory.EnumerateFiles(reportsDirectory, "*.html")
            .Where(path => !string.Equals(Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase)
                           && !Path.GetFileName(path).StartsWith('.'))
            .Select(ReportSummary.Read)
            .OfType<ReportSummary>()
            .OrderBy(r => r.Notebook, StringComparer.Ordinal)
            .ToArray();
        await AtomicFile.WriteAllTextAsync(Path.Combine(reportsDirectory, FileName), Page(reports), cancellationToken);
        return reports;
    }

    private string Page(IReadOnlyList<ReportSummary> reports)
    {
        ReportSummary[] failed = reports.Where(r => !r.Passed).ToArray();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(failed.Length > 0 ? "FAILED · " : "").Append("Conv.Notebook · Padding and Stride</title>\n")
            .Append("<style>\n").Append(assets.Css).Append("\n</style>\n</head>\n")
            .Append("<body class=\"cn-index-page cn-").Append(failed.Length > 0 ? "failed" : "passed").Append("\">\n");
        if (failed.Length > 0)
        {
            html.Append("<div class=\"cn-banner cn-banner-failed\" role=\"alert\"><p class=\"cn-banner-title\"><strong>")
                .Append(failed.Length).Append(failed.Length == 1 ? " notebook FAILED" : " notebooks FAILED").Append(":</strong> ")
                .AppendJoin(", ", failed.Select(r => $"<a href=\"{Href(r)}\">{Encode(r.Notebook)}</a>"))
                .Append("</p></div>\n");
        }
        html.Append("<div class=\"cn-page\">\n<header class=\"cn-index-header\">\n<h1>Padding and Stride</h1>\n")
            .Append("<p class=\"cn-subtitle\">Conv.Notebook: the exercises of <em>Dive into Deep Learning</em> §7.3 as C# notebooks, run headlessly.</p>\n")
            .Append("<p class=\"cn-runinfo\">").Append(reports.Count).Append(reports.Count == 1 ? " notebook" : " notebooks")
            .Append(" · ").Append(reports.Count - failed.Length).Append(" passed · ").Append(failed.Length).Append(" failed</p>\n</header>\n");
        if (reports.Count == 0)
        {
            html.Append("<p>No reports yet.</p>\n");
        }
        else
        {
            html.Append("<table class=\"cn-index\">\n<thead><tr><th>Notebook</th><th>Status</th><th class=\"cn-num\">Run time</th><th>Written</th></tr></thead>\n<tbody>\n");
            foreach (ReportSummary report in reports)
            {
                html.Append("<tr class=\"cn-").Append(report.Status).Append("\" data-notebook=\"").Append(Encode(report.Notebook)).Append("\">")
                    .Append("<td><a href=\"").Append(Href(report)).Append("\">").Append(Encode(report.Title)).Append("</a>")
                    .Append("<div class=\"cn-file\">").Append(Encode(report.Notebook)).Append(".ipynb</div>");
                if (!report.Passed)
                {
                    html.Append("<div class=\"cn-index-failure\">");
                    if (report.FailedCell is { } cell) html.Append("cell ").Append(cell).Append(": ");
                    html.Append(Encode(report.Failure ?? "failed")).Append("</div>");
                }
                html.Append("</td><td><span class=\"cn-status cn-status-").Append(report.Status).Append("\">").Append(report.Status)
                    .Append("</span></td><td class=\"cn-num\">").Append(ConsoleLog.Seconds(TimeSpan.FromSeconds(report.Seconds)))
                    .Append("</td><td>").Append(report.Finished.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
                    .Append("</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</div>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Href(ReportSummary report) => Uri.EscapeDataString(report.Notebook) + ".html";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
