using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Conv.Notebook.Display;

public static partial class Charts
{
    /// <summary>One series as a line.</summary>
    /// <param name="x">The x values.</param>
    /// <param name="y">The y values, one per x value.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <example><code>Charts.Line(lags, correlation, "correlation against lag", "lag", "r")</code></example>
    public static GenericChart Line(double[] x, double[] y, string? title = null, string? xTitle = null, string? yTitle = null) =>
        Lines([("", x, y)], title, xTitle, yTitle);

    /// <summary>Several named series as lines on one chart, with a legend when there is more than one.</summary>
    /// <param name="series">The names and the x and y values of each series.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The x axis title.</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <param name="logX">Whether the x axis is logarithmic.</param>
    /// <param name="logY">Whether the y axis is logarithmic.</param>
    /// <param name="markers">Whether each point is marked, for short series.</param>
    /// <example><code>Charts.Lines([("measured", s, t), ("1/s²", s, theory)], "time against stride", "stride", "ms")</code></example>
    public static GenericChart Lines(IEnumerable<(string Name, double[] X, double[] Y)> series, string? title = null,
        string? xTitle = null, string? yTitle = null, bool logX = false, bool logY = false, bool markers = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var list = series.ToList();
        if (list.Count == 0) throw new ArgumentException("There must be at least one series, but series is empty.", nameof(series));
        foreach (var (name, x, y) in list)
        {
            ArgumentNullException.ThrowIfNull(x, nameof(series));
            ArgumentNullException.ThrowIfNull(y, nameof(series));
            if (x.Length != y.Length)
            {
                throw new ArgumentException($"Each series needs one y value per x value, but series '{name}' has {x.Length} x and {y.Length} y values.", nameof(series));
            }
        }
        var traces = list.Select(s => PlotlyChart.Line<double, double, string>(
            x: s.X, y: s.Y, Name: s.Name, ShowMarkers: markers, ShowLegend: list.Count > 1));
        GenericChart chart = PlotlyChart.Combine(traces);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart,
            TitleText: xTitle ?? "", AxisType: logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart,
            TitleText: yTitle ?? "", AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 760, 420);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }
}
