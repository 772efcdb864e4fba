using System.Text.Json;
using System.Text.RegularExpressions;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="ChartHtml"/> offline: no chart loads a script from another site; the chart that carries plotly.js
/// carries the version Plotly.NET writes figures for, the one the reports inline, in one script element that a
/// later chart waits for.
/// </summary>
public sealed partial class ChartHtmlOfflineTests
{
    /// <summary>A script element's or a script object's source on another site, or a require.js path to one.</summary>
    [GeneratedRegex(@"(?i)\bsrc\s*=\s*[""']?(https?:)?//|paths\s*:\s*\{[^}]*https?://")]
    private static partial Regex RemoteScript();

    private static readonly Plotly.NET.GenericChart Chart = Charts.Heatmap(Tensor.Arange(6).Reshape(2, 3));

    [Fact]
    public void A_chart_outside_a_notebook_kernel_loads_nothing_and_carries_no_bundle()
    {
        string html = ChartHtml.Render(Chart);

        Assert.DoesNotMatch(RemoteScript(), html);
        Assert.DoesNotContain("cdn.plot.ly", html, StringComparison.Ordinal);
        Assert.DoesNotContain(ChartHtml.BundleClass, html, StringComparison.Ordinal);
        Assert.Contains("if (window.Plotly) { draw(); return; }", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_first_chart_a_cell_shows_carries_the_bundle_and_a_chart_rendered_for_other_use_never_does()
    {
        // Rendered for other use first: it must not take the bundle from the charts the notebook shows.
        Assert.DoesNotContain(ChartHtml.BundleClass, ChartHtml.Render(Chart), StringComparison.Ordinal);
        Assert.Contains(ChartHtml.BundleClass, ChartHtml.Shown(Chart), StringComparison.Ordinal);
        Assert.DoesNotContain(ChartHtml.BundleClass, ChartHtml.Shown(Chart), StringComparison.Ordinal);
        Assert.DoesNotContain(ChartHtml.BundleClass, ChartHtml.Render(Chart), StringComparison.Ordinal);
    }

    [Fact]
    public void The_chart_that_carries_plotly_js_loads_nothing_from_another_site()
    {
        string html = ChartHtml.Render(Chart, includePlotly: true);

        Assert.DoesNotMatch(RemoteScript(), html);
        Assert.True(html.Length > 3_000_000, $"{html.Length} characters: plotly.js is about 3.6 MB");
        // The bundle's element, then the chart's: the bundle has no "</script" of its own that would end its element early.
        Assert.Equal(2, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
        Assert.StartsWith($"<script type=\"text/javascript\" class=\"{ChartHtml.BundleClass}\">", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("if (!window.Plotly)", StringComparison.Ordinal) < html.IndexOf("class=\"cn-chart\"", StringComparison.Ordinal),
            "the bundle comes before the chart that draws with it");
    }

    [Fact]
    public void The_bundle_is_the_plotly_js_version_the_reports_inline()
    {
        Match header = Regex.Match(ChartHtml.PlotlyJs[..200], @"plotly\.js v(\d+\.\d+\.\d+)");
        Assert.True(header.Success, "the bundle starts with plotly.js's licence header and version");
        Assert.Equal(ChartHtml.PlotlyJsVersion, header.Groups[1].Value);

        string package = Path.Combine(RepositoryRoot(), "tools", "Workbook", "render", "package.json");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(package));
        string reports = json.RootElement.GetProperty("dependencies").GetProperty("plotly.js-dist-min").GetString()!;
        Assert.Equal(ChartHtml.PlotlyJsVersion, reports);
    }

    [Fact]
    public void A_chart_without_the_bundle_waits_for_it_and_says_what_to_do_when_it_never_comes()
    {
        string html = ChartHtml.Render(Chart, includePlotly: false);
        string bundle = ChartHtml.Render(Chart, includePlotly: true);

        Match waits = Regex.Match(html, @"addEventListener\('([a-z-]+)', draw");
        Assert.True(waits.Success, "the chart's script listens for the bundle");
        Assert.Contains($"dispatchEvent(new Event('{waits.Groups[1].Value}'))", bundle, StringComparison.Ordinal);
        Assert.Contains("Restart the kernel", html, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conv.Notebook.csproj"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds Conv.Notebook.csproj.");
    }
}
