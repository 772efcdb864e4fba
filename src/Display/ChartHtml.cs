using Plotly.NET;

namespace Conv.Notebook.Display;

/// <summary>
/// A Plotly.NET chart as a notebook output: a <c>div.cn-chart</c> and a script that draws the figure with the
/// page's <c>Plotly</c>. Nothing is fetched from another site, so charts draw offline: the reports put plotly.js in
/// the page, and in VS Code or JupyterLab the first chart of a kernel session brings the same bundle (the one
/// Plotly.NET carries) into the page, where every later chart finds it.
/// </summary>
/// <example><code>string html = ChartHtml.Render(Charts.Heatmap(image));</code></example>
public static class ChartHtml
{
    /// <summary>The plotly.js that Plotly.NET 6 writes figures for, and carries in its assembly.</summary>
    public const string PlotlyJsVersion = "2.28.0";

    /// <summary>The class of the script element that brings plotly.js into a page.</summary>
    public const string BundleClass = "cn-plotly-js";

    // The event the bundle's script raises once window.Plotly is defined; charts that came first wait for it.
    private const string ReadyEvent = "cn-plotly-ready";

    private static readonly Lazy<string> Bundle = new(LoadBundle);
    private static int _bundleSent;

    /// <summary>
    /// The HTML of a chart: a <c>div</c> with class <c>cn-chart</c> and the script that draws it with the page's
    /// <c>Plotly</c>, which the page must provide. (A chart that a notebook cell shows brings plotly.js itself: the
    /// first of the kernel session carries it.)
    /// </summary>
    /// <param name="chart">The chart.</param>
    /// <example><code>string html = ChartHtml.Render(chart);   // for a page that loads plotly.js</code></example>
    public static string Render(GenericChart chart) => Render(chart, includePlotly: false);

    /// <summary>
    /// A chart as a notebook cell shows it (the formatter that <see cref="NotebookSetup.Init"/> registers): the first
    /// of the kernel session also carries plotly.js (about 3.6 MB), which defines <c>window.Plotly</c> unless the page
    /// has it already. Only the formatter calls this, so a chart rendered for another use, such as a file, cannot take
    /// the bundle from the notebook's page.
    /// </summary>
    internal static string Shown(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return Render(chart, includePlotly: Interlocked.Exchange(ref _bundleSent, 1) == 0);
    }

    /// <summary>The chart's HTML, with plotly.js before it when <paramref name="includePlotly"/>.</summary>
    internal static string Render(GenericChart chart, bool includePlotly)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string figure = HtmlText.InScript(GenericChart.toFigureJson(chart));
        string id = HtmlText.NewId("cn-chart-");
        string chartHtml = $$"""
            <div class="cn-chart" id="{{id}}"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figure}};
              var draw = function () {
                document.getElementById('{{id}}').textContent = '';
                Plotly.newPlot('{{id}}', figure.data, figure.layout, { responsive: true, displaylogo: false });
              };
              if (window.Plotly) { draw(); return; }
              window.addEventListener('{{ReadyEvent}}', draw, { once: true });
              setTimeout(function () {
                if (window.Plotly) return;
                document.getElementById('{{id}}').textContent = 'This chart draws with plotly.js, which the first ' +
                  'chart of the kernel session brought into the page; that output is gone. Restart the kernel ' +
                  'and run the notebook again.';
              }, 3000);
            })();
            </script>
            """;
        return includePlotly ? PlotlyScript() + "\n" + chartHtml : chartHtml;
    }

    /// <summary>
    /// The script element that defines <c>window.Plotly</c> with the bundled plotly.js, unless the page has it.
    /// </summary>
    internal static string PlotlyScript() =>
        // The bundle registers itself with an AMD loader or CommonJS when it sees one (classic Jupyter has
        // require.js); hiding them makes it set window.Plotly, which the charts' scripts look for.
        $$"""
        <script type="text/javascript" class="{{BundleClass}}">
        if (!window.Plotly) {
          (function (define, module, exports) {
        {{Bundle.Value}}
          }).call(window);
        }
        window.dispatchEvent(new Event('{{ReadyEvent}}'));
        </script>
        """;

    /// <summary>plotly.js as Plotly.NET's assembly carries it.</summary>
    internal static string PlotlyJs => Bundle.Value;

    private static string LoadBundle()
    {
        string name = $"Plotly.NET.plotly-{PlotlyJsVersion}.min.js";
        using Stream stream = typeof(GenericChart).Assembly.GetManifestResourceStream(name)
                              ?? throw new InvalidOperationException($"Plotly.NET does not carry {name}; its plotly.js version changed.");
        using var reader = new StreamReader(stream);
        // "</script" inside the inlined code would end its element early.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
