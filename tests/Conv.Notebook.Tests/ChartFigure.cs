using System.Text.Json;
using System.Text.RegularExpressions;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>The Plotly figure that a chart's HTML (<see cref="ChartHtml.Render"/>) hands to its script, as JSON.</summary>
internal static partial class ChartFigure
{
    [GeneratedRegex(@"var figure = (.*?);\s*var draw =", RegexOptions.Singleline)]
    private static partial Regex FigureRegex();

    /// <summary>The figure of a chart, from its rendered HTML.</summary>
    public static JsonElement Of(Plotly.NET.GenericChart chart) => Of(ChartHtml.Render(chart));

    /// <summary>The figure that <paramref name="html"/> assigns to <c>var figure</c>.</summary>
    public static JsonElement Of(string html)
    {
        Match match = FigureRegex().Match(html);
        Assert.True(match.Success, "the chart's script should assign the figure to var figure");
        using JsonDocument document = JsonDocument.Parse(match.Groups[1].Value);
        return document.RootElement.Clone();
    }
}
