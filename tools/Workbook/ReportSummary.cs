using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Conv.Notebook.Workbook;

/// <summary>
/// What the index says about one report. Each report carries it in <c>meta</c> tags at the top of its head,
/// so the index can list reports written by earlier runs as truthfully as those of this one.
/// </summary>
/// <param name="Notebook">The notebook's name; the report is <c>NAME.html</c>.</param>
/// <param name="Title">The notebook's title.</param>
/// <param name="Passed">Whether it ran without error.</param>
/// <param name="Seconds">dotnet-repl's wall time for it.</param>
/// <param name="Finished">When the report was written.</param>
/// <param name="FailedCell">The first cell that failed, if any.</param>
/// <param name="Failure">The first line of what went wrong, if anything.</param>
internal sealed partial record ReportSummary(
    string Notebook,
    string Title,
    bool Passed,
    double Seconds,
    DateTimeOffset Finished,
    int? FailedCell,
    string? Failure)
{
    /// <summary>The value of <c>meta name="cn-status"</c> for a notebook that passed.</summary>
    public const string PassedStatus = "passed";

    /// <summary>The value of <c>meta name="cn-status"</c> for a notebook that failed.</summary>
    public const string FailedStatus = "failed";

    /// <summary>The status word: <see cref="PassedStatus"/> or <see cref="FailedStatus"/>.</summary>
    public string Status => Passed ? PassedStatus : FailedStatus;

    /// <summary>The summary of a notebook's outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <param name="finished">When its report is written.</param>
    /// <returns>The summary.</returns>
    public static ReportSummary Of(NotebookOutcome outcome, DateTimeOffset finished)
    {
        CellFailure? first = outcome.Failures.FirstOrDefault();
        string? failure = outcome.Problem ?? first?.Message;
        return new ReportSummary(
            outcome.Notebook.Name,
            outcome.Title,
            outcome.Passed,
            outcome.Elapsed.TotalSeconds,
            finished,
            first?.Cell,
            failure?.Split('\n', 2)[0]);
    }

    /// <summary>The <c>meta</c> tags that carry the summary.</summary>
    /// <returns>HTML, one tag a line.</returns>
    public string ToMetaTags()
    {
        var html = new StringBuilder();
        Meta(html, "cn-notebook", Notebook);
        Meta(html, "cn-title", Title);
        Meta(html, "cn-status", Status);
        Meta(html, "cn-seconds", Seconds.ToString("0.###", CultureInfo.InvariantCulture));
        Meta(html, "cn-finished", Finished.ToString("o", CultureInfo.InvariantCulture));
        if (FailedCell is { } cell) Meta(html, "cn-failed-cell", cell.ToString(CultureInfo.InvariantCulture));
        if (Failure is not null) Meta(html, "cn-failure", Failure);
        return html.ToString();
    }

    /// <summary>Reads the summary from the head of a report.</summary>
    /// <param name="path">The report.</param>
    /// <returns>The summary, or null when the file is no report of this tool.</returns>
    public static ReportSummary? Read(string path)
    {
        // The tags come before the styles and scripts, so the first part of the file holds them.
        var buffer = new char[32 * 1024];
        int read;
        using (var reader = new StreamReader(path, Encoding.UTF8))
        {
            read = reader.ReadBlock(buffer, 0, buffer.Length);
        }
        var tags = MetaTag().Matches(new string(buffer, 0, read))
            .GroupBy(m => m.Groups["name"].Value)
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["content"].Value));
        if (!tags.TryGetValue("cn-notebook", out string? notebook) || !tags.TryGetValue("cn-status", out string? status)) return null;
        return new ReportSummary(
            notebook,
            tags.GetValueOrDefault("cn-title") ?? notebook,
            status == PassedStatus,
            double.TryParse(tags.GetValueOrDefault("cn-seconds"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s : 0,
            DateTimeOffset.TryParse(tags.GetValueOrDefault("cn-finished"), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset f)
                ? f
                : File.GetLastWriteTimeUtc(path),
            int.TryParse(tags.GetValueOrDefault("cn-failed-cell"), NumberStyles.None, CultureInfo.InvariantCulture, out int cell) ? cell : null,
            tags.GetValueOrDefault("cn-failure"));
    }

    private static void Meta(StringBuilder html, string name, string content) =>
        html.Append("<meta name=\"").Append(name).Append("\" content=\"").Append(WebUtility.HtmlEncode(content)).Append("\">\n");

    [GeneratedRegex("""<meta name="(?<name>cn-[a-z-]+)" content="(?<content>[^"]*)">""")]
    private static partial Regex MetaTag();
}
