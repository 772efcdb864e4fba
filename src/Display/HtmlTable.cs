using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace Conv.Notebook.Display;

/// <summary>
/// A sequence of records as an HTML table, one column per public property, for sweeps and per-layer
/// summaries that read best as a table.
/// </summary>
/// <example><code>HtmlTable.Render(rows.Where(r => r.Stride > 1), maxRows: 10, headers: ["stride", "output width"])</code></example>
public static class HtmlTable
{
    /// <summary>
    /// The rows as a table, one column per public property in declaration order, under a header of the
    /// property names or of <paramref name="headers"/>, cut after <paramref name="maxRows"/> rows. Numbers
    /// print in the invariant culture, and a zero never prints as "-0".
    /// </summary>
    /// <param name="rows">The records to show.</param>
    /// <param name="maxRows">The most rows to show; a note says how many were left out.</param>
    /// <param name="headers">
    /// One header per column in property order, to name the columns in words and units; null for the
    /// property names.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="headers"/> does not have one entry per column.</exception>
    /// <example><code>HtmlTable.Render(timings.Select(t => new { t.Stride, t.Ms }), headers: ["stride", "time a call (ms)"])</code></example>
    public static HtmlView Render<T>(IEnumerable<T> rows, int maxRows = 50, IReadOnlyList<string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Guard.AtLeastOne(maxRows, nameof(maxRows), "number of rows to show");
        PropertyInfo[] columns = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToArray();
        if (headers is not null && headers.Count != columns.Length)
        {
            throw new ArgumentException(
                $"There must be one header per column ({columns.Length}: {string.Join(", ", columns.Select(c => c.Name))}), " +
                $"but headers has {headers.Count}.", nameof(headers));
        }
        var html = new StringBuilder("<table class=\"cn-table\" style=\"border-collapse:collapse;font-family:system-ui,sans-serif;font-size:13px\"><thead><tr>");
        for (int i = 0; i < columns.Length; i++)
        {
            string header = headers?[i] ?? columns[i].Name;
            html.Append("<th style=\"text-align:right;padding:2px 8px;border-bottom:2px solid #ccc\">").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        int count = 0;
        foreach (T row in rows)
        {
            if (count++ >= maxRows) continue;
            html.Append("<tr>");
            foreach (PropertyInfo column in columns)
            {
                html.Append("<td style=\"text-align:right;padding:2px 8px;border-bottom:1px solid #eee\">")
                    .Append(WebUtility.HtmlEncode(Format(column.GetValue(row)))).Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (count > maxRows)
        {
            html.Append("<div style=\"color:#888;font-size:12px\">").Append(count - maxRows).Append(count - maxRows == 1 ? " more row not shown</div>" : " more rows not shown</div>");
        }
        return new HtmlView(html.ToString());
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => NumberText.Format(d, "0.####"),
        float f => NumberText.Format(f, "0.####"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e and not string => string.Join(", ", e.Cast<object?>().Select(Format)),
        _ => value.ToString() ?? "",
    };
}
