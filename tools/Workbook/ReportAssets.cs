using System.Reflection;
using System.Text.RegularExpressions;

namespace Conv.Notebook.Workbook;

/// <summary>
/// What every report inlines so that it works offline: the report's own CSS, the highlight.js theme, for reports
/// with a formula KaTeX's CSS and fonts and, for reports with a chart, plotly.js.
/// </summary>
internal sealed partial class ReportAssets
{
    private readonly Lazy<string> _plotly;
    private readonly Lazy<KatexStyles> _katex;

    /// <summary>Loads the styles now and plotly.js when a report first needs it.</summary>
    /// <param name="repository">The repository whose renderer package holds highlight.js, KaTeX and plotly.js.</param>
    /// <exception cref="SetUpException">An installed file is missing.</exception>
    public ReportAssets(Repository repository)
    {
        string theme = Installed(repository, "highlight.js", "styles", "github.min.css");
        string plotly = Installed(repository, "plotly.js-dist-min", "plotly.min.js");
        Css = Embedded("report.css") + "\n" + File.ReadAllText(theme);
        // "</script" inside the inlined code would end its element early.
        _plotly = new Lazy<string>(() => File.ReadAllText(plotly).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase));
        string katex = Path.GetDirectoryName(Installed(repository, "katex", "dist", "katex.min.css"))!;
        _katex = new Lazy<KatexStyles>(() => KatexStyles.Load(katex));
    }

    /// <summary>The reports' CSS: layout and the code theme.</summary>
    public string Css { get; }

    /// <summary>KaTeX's CSS with the fonts that some formulas use, for a report that shows them.</summary>
    /// <param name="formulas">The rendered HTML of the report's formulas.</param>
    /// <returns>The stylesheet.</returns>
    public string KatexCss(IEnumerable<string> formulas) => _katex.Value.For(formulas);

    /// <summary>The plotly.js bundle that charts draw with.</summary>
    public string PlotlyJs => _plotly.Value;

    /// <summary>Whether some HTML holds a chart of the helper's (an element of class <c>cn-chart</c>).</summary>
    /// <param name="html">Output HTML.</param>
    /// <returns>True when a chart is there.</returns>
    public static bool HasChart(string html) => ChartClass().IsMatch(html);

    /// <summary>
    /// Output HTML without the plotly.js bundle that the first chart of a kernel session carries (an element of class
    /// <c>cn-plotly-js</c>): the report inlines plotly.js once in its head.
    /// </summary>
    /// <param name="html">Output HTML.</param>
    /// <returns>The HTML without bundle elements.</returns>
    public static string WithoutPlotlyBundle(string html) => PlotlyBundle().Replace(html, "");

    private static string Installed(Repository repository, params string[] parts)
    {
        string path = Path.Combine([repository.NodeModules, .. parts]);
        return File.Exists(path)
            ? path
            : throw new SetUpException($"{path} is missing; run 'npm ci' in {repository.RenderDirectory}.");
    }

    private static string Embedded(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                              ?? throw new InvalidOperationException($"The resource {name} is not embedded in the workbook tool.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"class\s*=\s*[""'][^""']*\bcn-chart\b")]
    private static partial Regex ChartClass();

    // The bundle writes "</script" as "<\/script", so its element ends at the first "</script>".
    [GeneratedRegex(@"<script\b[^>]*\bclass\s*=\s*[""']cn-plotly-js[""'][^>]*>.*?</script>\s*", RegexOptions.Singleline)]
    private static partial Regex PlotlyBundle();
}
