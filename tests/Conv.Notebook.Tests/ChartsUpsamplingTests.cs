using System.Text.Json;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>
/// The charts of exercise 6: <see cref="Charts.Matrices"/> puts matrices of different shapes side by side with
/// square cells, row 0 at the top and one colour range; <see cref="Charts.WithColorRange"/> gives every panel
/// of a heatmap grid the same range.
/// </summary>
public sealed class ChartsUpsamplingTests
{
    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public void Matrices_PutsEachMatrixRowFirstWithItsValuesOnOneRange()
    {
        Tensor a = new([2, 3], [1, 0, 2, 0, 3, 0]);
        Tensor b = new([3, 2], [1, 0, 0, 3, 2, 0]);

        JsonElement figure = ChartFigure.Of(Charts.Matrices([("A", a), ("B", b)], cell: 20));
        JsonElement[] traces = figure.GetProperty("data").EnumerateArray().ToArray();

        Assert.Equal(2, traces.Length);
        Assert.Equal(new[] { 1.0, 0, 2 }, Numbers(traces[0].GetProperty("z")[0]));
        Assert.Equal(new[] { 0.0, 3, 0 }, Numbers(traces[0].GetProperty("z")[1]));
        Assert.Equal(new[] { 2.0, 0 }, Numbers(traces[1].GetProperty("z")[2]));
        Assert.Equal(new[] { 0.0, 1 }, Numbers(traces[0].GetProperty("y")));
        Assert.Equal("", traces[0].GetProperty("text")[0][1].GetString());
        Assert.Equal("2", traces[0].GetProperty("text")[0][2].GetString());
        double[] xa = Numbers(traces[0].GetProperty("x")), xb = Numbers(traces[1].GetProperty("x"));
        Assert.True(xb.Min() > xa.Max() + 1, "the second matrix should start right of the first, after a gap");
        foreach (JsonElement trace in traces)
        {
            Assert.Equal(0.0, trace.GetProperty("zmin").GetDouble());
            Assert.Equal(3.0, trace.GetProperty("zmax").GetDouble());
        }
    }

    [Fact]
    public void Matrices_HasSquareCellsAndRowZeroAtTheTop()
    {
        JsonElement figure = ChartFigure.Of(Charts.Matrices([("C", Tensor.Zeros(4, 8)), ("C transposed", Tensor.Zeros(8, 4))], cell: 30));
        JsonElement layout = figure.GetProperty("layout");
        JsonElement yaxis = layout.GetProperty("yaxis");

        Assert.Equal("x", yaxis.GetProperty("scaleanchor").GetString());
        double[] yRange = Numbers(yaxis.GetProperty("range"));
        Assert.True(yRange[0] > yRange[1], "a reversed y range puts row 0 at the top");
        Assert.Equal(8 * 30 + 40 + 10, layout.GetProperty("height").GetInt32());
        double[] xRange = Numbers(layout.GetProperty("xaxis").GetProperty("range"));
        // The plot area holds the x range at 30 pixels a cell: the width is that plus the 10 + 10 margins.
        Assert.Equal((int)Math.Ceiling((xRange[1] - xRange[0]) * 30) + 20, layout.GetProperty("width").GetInt32());
        string[] titles = layout.GetProperty("annotations").EnumerateArray().Select(t => t.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(["C", "C transposed"], titles);
    }

    [Fact]
    public void Matrices_RejectsBadArguments()
    {
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => Charts.Matrices([])).ParamName);
        var rank = Assert.Throws<ArgumentException>(() => Charts.Matrices([("cube", Tensor.Zeros(2, 2, 2))]));
        Assert.Contains("'cube' has shape (2, 2, 2)", rank.Message, StringComparison.Ordinal);
        var cell = Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Matrices([("m", Tensor.Zeros(2, 2))], cell: 4));
        Assert.Equal("cell", cell.ParamName);
        Assert.Throws<ArgumentException>(() => Charts.Matrices([("wide", Tensor.Zeros(1, 500))]));
    }

    [Fact]
    public void WithColorRange_SetsTheRangeOnEveryPanel()
    {
        var chart = Charts.Heatmaps([("a", Tensor.Zeros(3, 3)), ("b", Tensor.Full([3, 3], 5f)), ("c", Tensor.Arange(9).Reshape(3, 3))]);

        JsonElement figure = ChartFigure.Of(Charts.WithColorRange(chart, 0.5, 1.5));

        JsonElement[] traces = figure.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(3, traces.Length);
        Assert.All(traces, t => Assert.Equal((0.5, 1.5), (t.GetProperty("zmin").GetDouble(), t.GetProperty("zmax").GetDouble())));
        Assert.Throws<ArgumentException>(() => Charts.WithColorRange(chart, 2, 1));
        Assert.Throws<ArgumentException>(() => Charts.WithColorRange(chart, double.NaN, 1));
    }
}
