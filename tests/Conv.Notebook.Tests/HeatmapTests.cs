using System.Text.Json;
using System.Text.RegularExpressions;
using Conv.Notebook.Display;
using Plotly.NET;

namespace Conv.Notebook.Tests;

/// <summary>
/// The heatmaps' reading aids, checked in the figure JSON: each panel of <see cref="Charts.Heatmaps"/> has its own
/// colour range and colour bar beside it, panels keep square cells and a readable size, values are written in cells
/// that hold them (compactly, never as "-0") and not in large images, and tick labels are level and thinned.
/// </summary>
public sealed partial class HeatmapTests
{
    [GeneratedRegex(@"^-0*(\.0*)?(e[-+]?\d+)?$")]
    private static partial Regex MinusZeroRegex();

    private static JsonElement[] Traces(JsonElement figure) => figure.GetProperty("data").EnumerateArray().ToArray();

    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>A panel's plot area in pixels from the figure's top left: left, right, top, bottom.</summary>
    private static (double Left, double Right, double Top, double Bottom) Plot(JsonElement figure, JsonElement trace)
    {
        JsonElement layout = figure.GetProperty("layout");
        string x = trace.GetProperty("xaxis").GetString()!, y = trace.GetProperty("yaxis").GetString()!;
        double[] xd = Numbers(layout.GetProperty("xaxis" + x[1..]).GetProperty("domain"));
        double[] yd = Numbers(layout.GetProperty("yaxis" + y[1..]).GetProperty("domain"));
        return (PixelX(figure, xd[0]), PixelX(figure, xd[1]), PixelY(figure, yd[1]), PixelY(figure, yd[0]));
    }

    private static double PixelX(JsonElement figure, double paper)
    {
        JsonElement layout = figure.GetProperty("layout"), margin = layout.GetProperty("margin");
        double l = margin.GetProperty("l").GetDouble(), r = margin.GetProperty("r").GetDouble();
        return l + paper * (layout.GetProperty("width").GetDouble() - l - r);
    }

    private static double PixelY(JsonElement figure, double paper)
    {
        JsonElement layout = figure.GetProperty("layout"), margin = layout.GetProperty("margin");
        double t = margin.GetProperty("t").GetDouble(), b = margin.GetProperty("b").GetDouble();
        return t + (1 - paper) * (layout.GetProperty("height").GetDouble() - t - b);
    }

    /// <summary>The cell text of a trace, top row first (the trace holds it bottom row first, like z), or null.</summary>
    private static string[][]? Text(JsonElement trace) =>
        trace.TryGetProperty("texttemplate", out _)
            ? trace.GetProperty("text").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetString()!).ToArray()).Reverse().ToArray()
            : null;

    private static Tensor Ramp(int rows, int cols, float low, float high) =>
        Tensor.FromFunction(rows, cols, (r, c) => low + (high - low) * (r * cols + c) / (rows * cols - 1f));

    [Fact]
    public void Each_panel_has_its_own_colour_bar_on_its_own_range_beside_it()
    {
        Tensor input = Ramp(4, 4, 0.3f, 1.3f), zeros = Tensor.Zeros(7, 7), counts = Ramp(5, 5, 1, 6);
        JsonElement figure = ChartFigure.Of(Charts.Heatmaps([("input", input), ("zeros", zeros), ("counts", counts)], columns: 3));
        JsonElement[] traces = Traces(figure);
        Assert.Equal(3, traces.Length);
        Assert.Equal(3, traces.Select(t => t.GetProperty("xaxis").GetString()).Distinct().Count());

        Assert.Equal(0.3, traces[0].GetProperty("zmin").GetDouble(), 6);
        Assert.Equal(1.3, traces[0].GetProperty("zmax").GetDouble(), 6);
        Assert.True(traces[1].GetProperty("zmin").GetDouble() < 0 && traces[1].GetProperty("zmax").GetDouble() > 0,
            "a panel of zeros should have a range around 0, not another panel's");
        Assert.Equal(1, traces[2].GetProperty("zmin").GetDouble(), 6);
        Assert.Equal(6, traces[2].GetProperty("zmax").GetDouble(), 6);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(traces[i].GetProperty("showscale").GetBoolean(), $"panel {i} should show its colour bar");
            var plot = Plot(figure, traces[i]);
            JsonElement bar = traces[i].GetProperty("colorbar");
            double barLeft = PixelX(figure, bar.GetProperty("x").GetDouble());
            double barMiddle = PixelY(figure, bar.GetProperty("y").GetDouble());
            Assert.InRange(barLeft, plot.Right, plot.Right + 20);
            Assert.InRange(barMiddle, plot.Top, plot.Bottom);
            if (i < 2)
            {
                // The bar and its labels (about 40 pixels) end before the next panel's row labels begin.
                Assert.True(barLeft + 50 < Plot(figure, traces[i + 1]).Left - 10, $"panel {i}'s colour bar runs into panel {i + 1}");
            }
        }
    }

    [Fact]
    public void A_constant_panel_gets_a_range_around_its_value()
    {
        foreach (float value in new[] { 0f, 5f, -2f })
        {
            JsonElement trace = Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(Tensor.Full([3, 3], value)))));
            double low = trace.GetProperty("zmin").GetDouble(), high = trace.GetProperty("zmax").GetDouble();
            Assert.True(low < value && value < high, $"the range [{low}, {high}] should hold {value} strictly inside");
            Assert.All(Text(trace)!.SelectMany(r => r), t => Assert.Equal(((int)value).ToString(System.Globalization.CultureInfo.InvariantCulture), t));
        }
    }

    [Fact]
    public void Panels_are_at_least_160_pixels_with_square_cells_and_fit_the_page()
    {
        var panels = Enumerable.Range(0, 5).Select(i => ($"panel {i}", Tensor.Randn(i, 12, 12 + 2 * i))).ToList();
        JsonElement figure = ChartFigure.Of(Charts.Heatmaps(panels, columns: 5));
        Assert.InRange(figure.GetProperty("layout").GetProperty("width").GetDouble(), 400, 852);
        JsonElement[] traces = Traces(figure);
        var plots = traces.Select(t => Plot(figure, t)).ToArray();
        for (int i = 0; i < plots.Length; i++)
        {
            var p = plots[i];
            int width = 12 + 2 * i;
            Assert.True(p.Right - p.Left >= 160, $"panel {i} is {p.Right - p.Left:0} pixels wide");
            Assert.Equal((p.Right - p.Left) / width, (p.Bottom - p.Top) / 12, 6);
            for (int j = 0; j < i; j++)
            {
                var q = plots[j];
                bool apart = p.Left >= q.Right || q.Left >= p.Right || p.Top >= q.Bottom || q.Top >= p.Bottom;
                Assert.True(apart, $"panels {j} and {i} overlap");
            }
        }
    }

    [Fact]
    public void Small_images_show_their_values_and_large_ones_do_not()
    {
        Tensor small = Tensor.FromFunction(4, 4, (r, c) => 0.25f * (r * 4 + c));
        Tensor large = Tensor.Randn(1, 64, 64);
        JsonElement[] traces = Traces(ChartFigure.Of(Charts.Heatmaps([("small", small), ("large", large)], columns: 2)));
        string[][] text = Text(traces[0]) ?? throw new Xunit.Sdk.XunitException("the 4 × 4 panel should show its values");
        Assert.Equal(["0", "0.25", "0.5", "0.75"], text[0]);
        Assert.Equal(["3", "3.25", "3.5", "3.75"], text[3]);
        Assert.Null(Text(traces[1]));

        Assert.NotNull(Text(Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(small))))));
        Assert.Null(Text(Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(large))))));
    }

    [Fact]
    public void Show_values_forces_the_values_on_or_off()
    {
        Tensor small = Tensor.Arange(9).Reshape(3, 3), large = Tensor.Randn(2, 64, 64);
        Assert.Null(Text(Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(small, showValues: false))))));
        string[][] forced = Text(Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(large, showValues: true)))))!;
        Assert.Equal(64, forced.Length);
        Assert.All(forced, row => Assert.Equal(64, row.Length));
        Assert.Null(Text(Traces(ChartFigure.Of(Charts.Heatmaps([("a", small)], showValues: false)))[0]));
        Assert.NotNull(Text(Traces(ChartFigure.Of(Charts.Heatmaps([("a", large)], showValues: true)))[0]));
    }

    [Fact]
    public void Cell_text_is_compact_and_never_minus_zero()
    {
        Tensor t = new([2, 4], [-0f, -1e-9f, 1f, -0.0004f, 2.5f, -2.5f, 12f, -0.126f]);
        string[][] text = Text(Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(t)))))!;
        // The largest magnitude, 12, sets one decimal for three significant digits; trailing zeros go.
        Assert.Equal(["0", "0", "1", "0"], text[0]);
        Assert.Equal(["2.5", "-2.5", "12", "-0.1"], text[1]);
        Assert.DoesNotContain(text.SelectMany(r => r), s => MinusZeroRegex().IsMatch(s));
    }

    [Fact]
    public void Integers_print_as_integers()
    {
        string[][] text = Text(Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(Tensor.Arange(12).Reshape(3, 4))))))!;
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), text.SelectMany(r => r));
    }

    [Theory]
    [InlineData(4, 4, 1)]
    [InlineData(64, 64, 8)]
    public void Tick_labels_are_level_and_thinned_to_every_power_of_two(int rows, int cols, int expectedStep)
    {
        Tensor image = Tensor.Randn(3, rows, cols);
        JsonElement figure = ChartFigure.Of(Charts.Heatmaps([("a", image), ("b", image)], columns: 2));
        JsonElement layout = figure.GetProperty("layout");
        foreach (string axis in new[] { "xaxis", "yaxis", "xaxis2", "yaxis2" })
        {
            JsonElement a = layout.GetProperty(axis);
            Assert.Equal(0, a.GetProperty("tickangle").GetInt32());
            int[] ticks = a.GetProperty("tickvals").EnumerateArray().Select(v => int.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(Enumerable.Range(0, (rows + expectedStep - 1) / expectedStep).Select(i => i * expectedStep), ticks);
        }
    }

    [Fact]
    public void The_labelled_heatmap_shows_its_values_and_no_minus_zero()
    {
        double[,] values = { { 1, 2.5, 3 }, { 4, 5, -0.0001 } };
        JsonElement trace = Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(values, ["s=1", "s=2", "s=3"], ["p=0", "p=1"]))));
        Assert.Equal([["1", "2.5", "3"], ["4", "5", "0"]], Text(trace));
        Assert.Null(Text(Assert.Single(Traces(ChartFigure.Of(Charts.Heatmap(values, ["a", "b", "c"], ["r", "s"], showValues: false))))));
    }

    [Theory]
    [InlineData(159)]
    [InlineData(2001)]
    public void A_size_out_of_range_throws_naming_size(int size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Heatmap(Tensor.Zeros(2, 2), size: size));
        Assert.Equal("size", ex.ParamName);
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(3, 0)]
    public void An_empty_image_is_refused_by_name(int height, int width)
    {
        Tensor empty = Tensor.Zeros(height, width);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => Charts.Heatmap(empty)).ParamName);
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => Charts.Heatmaps([("empty", empty)])).ParamName);
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => Charts.Matrices([("empty", empty)])).ParamName);
    }
}
