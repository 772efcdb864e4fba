using System.Security.Cryptography;
using Plotly.NET;

namespace Conv.Notebook.Display;

/// <summary>
/// A Plotly.NET chart as a notebook output: a <c>div.cn-chart</c> and a script that draws the figure with the
/// page's <c>Plotly</c>. Reports put plotly.js in the page, so nothing is fetched; in VS Code, where the
/// output has no Plotly of its own, the script loads the plotly.js version Plotly.NET was built for.
/// </summary>
/// <example><code>string html = ChartHtml.Render(Charts.Heatmap(image));</code></example>
public static class ChartHtml
{
    /// <summary>The plotly.js that Plotly.NET 6 writes figures for.</summary>
    public const string PlotlyJsVersion = "2.28.0";

    /// <summary>The HTML of a chart: a <c>div</c> with class <c>cn-chart</c> and the script that draws it.</summary>
    /// <param name="chart">The chart.</param>
    /// <example><code>File.WriteAllText("chart.html", ChartHtml.Render(chart));</code></example>
    public static string Render(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        // Any "<" in the figure could end the script element early ("</script>") or make the parser skip its
        // end ("<!--<script"); as \u003c it is the same character to JavaScript and nothing to the HTML parser.
        string figure = GenericChart.toFigureJson(chart).Replace("<", "\\u003c", StringComparison.Ordinal);
        string id = "cn-chart-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        return $$"""
            <div class="cn-chart" id="{{id}}"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figure}};
              var draw = function () {
                Plotly.newPlot('{{id}}', figure.data, figure.layout, { responsive: true, displaylogo: false });
              };
              if (window.Plotly) { draw(); return; }
              var script = document.createElement('script');
              script.src = 'https://cdn.plot.ly/plotly-{{PlotlyJsVersion}}.min.js';
              script.onload = draw;
              document.head.appendChild(script);
            })();
            </script>
            """;
    }
}
