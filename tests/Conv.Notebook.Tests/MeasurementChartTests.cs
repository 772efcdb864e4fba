using System.Text.Json;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Charts.Timings"/>: every sample as a point, the medians and the fastest samples as lines, the prediction as a
/// dashed line, a logarithmic time axis by default, and bad input.
/// </summary>
public sealed class MeasurementChartTests
{
    private static double[] Numbers(JsonElement trace, string name) =>
        trace.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static readonly TimingSamples[] Times =
    [
        new([10.0, 12, 11]),
        new([3.0, 2.5, 4]),
    ];

    [Fact]
    public void The_figure_holds_every_sample_the_medians_the_fastest_runs_and_the_prediction()
    {
        JsonElement figure = ChartFigure.Of(Charts.Timings([1, 2], Times, [10, 2.5], "time", "stride"));
        JsonElement[] traces = figure.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(4, traces.Length);

        Assert.Equal("each sample", traces[0].GetProperty("name").GetString());
        Assert.Equal("markers", traces[0].GetProperty("mode").GetString());
        Assert.Equal([1.0, 1, 1, 2, 2, 2], Numbers(traces[0], "x"));
        Assert.Equal([10.0, 12, 11, 3, 2.5, 4], Numbers(traces[0], "y"));

        Assert.Equal("median", traces[1].GetProperty("name").GetString());
        Assert.Equal([11.0, 3], Numbers(traces[1], "y"));
        Assert.Equal("fastest sample", traces[2].GetProperty("name").GetString());
        Assert.Equal([10.0, 2.5], Numbers(traces[2], "y"));
        Assert.Equal("predicted", traces[3].GetProperty("name").GetString());
        Assert.Equal([10.0, 2.5], Numbers(traces[3], "y"));
        Assert.Equal("dash", traces[3].GetProperty("line").GetProperty("dash").GetString());

        JsonElement layout = figure.GetProperty("layout");
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Equal("time", layout.GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Without_a_prediction_there_are_three_traces_and_a_linear_axis_on_request()
    {
        JsonElement figure = ChartFigure.Of(Charts.Timings([1, 2], Times, logY: false));
        Assert.Equal(3, figure.GetProperty("data").GetArrayLength());
        Assert.Equal("linear", figure.GetProperty("layout").GetProperty("yaxis").GetProperty("type").GetString());
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Charts.Timings([], [])).ParamName);
        Assert.Equal("measured", Assert.Throws<ArgumentException>(() => Charts.Timings([1, 2, 3], Times)).ParamName);
        Assert.Equal("predicted", Assert.Throws<ArgumentException>(() => Charts.Timings([1, 2], Times, [1.0])).ParamName);
        Assert.Equal("measured", Assert.Throws<ArgumentNullException>(() => Charts.Timings([1, 2], [Times[0], null!])).ParamName);
        Assert.Throws<ArgumentNullException>(() => Charts.Timings(null!, Times));
    }
}
