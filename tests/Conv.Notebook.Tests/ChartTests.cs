using System.Text.Json;
using System.Text.RegularExpressions;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Charts"/> and <see cref="ChartHtml"/>: the rendered HTML carries a figure that parses as JSON and
/// holds the tensor's values with row 0 at the top, draws into its own element, and cannot be broken out of
/// by a title; bad input to the chart builders names the parameter.
/// </summary>
public sealed partial class ChartTests
{
    [GeneratedRegex("<div class=\"cn-chart\" id=\"([^\"]+)\"></div>")]
    private static partial Regex DivRegex();

    [GeneratedRegex(@"Plotly\.newPlot\('([^']+)'")]
    private static partial Regex NewPlotRegex();

    private static double[][] Z(JsonElement trace) =>
        trace.GetProperty("z").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    private static string[] Strings(JsonElement trace, string name) =>
        trace.GetProperty(name).EnumerateArray().Select(v => v.GetString() ?? "").ToArray();

    private static double[] Row(Tensor t, int r)
    {
        int width = t.Shape[^1];
        return t.ToArray().Skip(r * width).Take(width).Select(v => (double)v).ToArray();
    }

    private static int Count(string text, string part) =>
        Regex.Matches(text, Regex.Escape(part), RegexOptions.IgnoreCase).Count;

    [Fact]
    public void The_html_has_a_chart_div_whose_id_the_script_draws_into()
    {
        string html = ChartHtml.Render(Charts.Heatmap(Tensor.Arange(12).Reshape(3, 4)));
        Assert.Contains("class=\"cn-chart\"", html, StringComparison.Ordinal);
        Match div = DivRegex().Match(html);
        Assert.True(div.Success, "the chart element should carry an id");
        Match plot = NewPlotRegex().Match(html);
        Assert.True(plot.Success, "the script should call Plotly.newPlot");
        Assert.Equal(div.Groups[1].Value, plot.Groups[1].Value);
        Assert.Equal(1, Count(html, "<script type=\"text/javascript\">"));
        Assert.Equal(1, Count(html, "</script>"));
    }

    [Fact]
    public void Two_renders_get_different_ids()
    {
        var chart = Charts.Heatmap(Tensor.Zeros(2, 2));
        string a = DivRegex().Match(ChartHtml.Render(chart)).Groups[1].Value;
        string b = DivRegex().Match(ChartHtml.Render(chart)).Groups[1].Value;
        Assert.NotEqual("", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void The_figure_holds_the_tensor_with_row_0_at_the_top()
    {
        // Plotly draws the first z row at the bottom, so the rows go in bottom-up with the labels reversed:
        // the last z row is the tensor's row 0, labelled "0".
        Tensor image = Tensor.Randn(3, 1, 1, 3, 4);
        JsonElement figure = ChartFigure.Of(ChartHtml.Render(Charts.Heatmap(image, "noise")));
        JsonElement trace = Assert.Single(figure.GetProperty("data").EnumerateArray());
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());

        double[][] z = Z(trace);
        Assert.Equal(3, z.Length);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(Row(image, r), z[2 - r]);
        }
        Assert.Equal(["2", "1", "0"], Strings(trace, "y"));
        Assert.Equal(["0", "1", "2", "3"], Strings(trace, "x"));
        Assert.Equal("noise", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        // The width is the size asked for; the height follows from the image's shape, with square cells.
        JsonElement layout = figure.GetProperty("layout");
        Assert.Equal(420, layout.GetProperty("width").GetInt32());
        double paperWidth = 420 - layout.GetProperty("margin").GetProperty("l").GetDouble() - layout.GetProperty("margin").GetProperty("r").GetDouble();
        double paperHeight = layout.GetProperty("height").GetDouble() - layout.GetProperty("margin").GetProperty("t").GetDouble()
            - layout.GetProperty("margin").GetProperty("b").GetDouble();
        double[] x = layout.GetProperty("xaxis").GetProperty("domain").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] y = layout.GetProperty("yaxis").GetProperty("domain").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal((x[1] - x[0]) * paperWidth / 4, (y[1] - y[0]) * paperHeight / 3, 6);
    }

    [Fact]
    public void A_one_dimensional_tensor_is_a_single_row()
    {
        JsonElement figure = ChartFigure.Of(ChartHtml.Render(Charts.Heatmap(Tensor.FromArray([1f, 2f, 3f]))));
        JsonElement trace = Assert.Single(figure.GetProperty("data").EnumerateArray());
        Assert.Equal([new[] { 1.0, 2.0, 3.0 }], Z(trace));
    }

    [Fact]
    public void A_title_cannot_close_the_script_early()
    {
        const string title = "</script><script>alert('x')</script>";
        string html = ChartHtml.Render(Charts.Heatmap(Tensor.Zeros(2, 2), title));
        Assert.Equal(1, Count(html, "</script"));
        Assert.True(html.TrimEnd().EndsWith("</script>", StringComparison.Ordinal), "the only closing tag is the script's own, at the end");
        JsonElement figure = ChartFigure.Of(html);
        Assert.Equal(title, figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void A_title_cannot_keep_the_script_open()
    {
        // In HTML, script text holding "<!--" and then "<script" puts the tokenizer in the "double escaped" state,
        // where the next "</script>" no longer closes the element: the rest of the page would become script text.
        const string title = "<!--<script>";
        string html = ChartHtml.Render(Charts.Heatmap(Tensor.Zeros(2, 2), title));
        const string open = "<script type=\"text/javascript\">";
        int start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        string body = html[start..html.IndexOf("</script", start, StringComparison.OrdinalIgnoreCase)];
        int comment = body.IndexOf("<!--", StringComparison.Ordinal);
        Assert.False(comment >= 0 && body.IndexOf("<script", comment, StringComparison.OrdinalIgnoreCase) >= 0,
            "the script text holds \"<!--\" followed by \"<script\", so its closing </script> would not end it");
        Assert.Equal(title, ChartFigure.Of(html).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Render_of_null_throws()
    {
        Assert.Throws<ArgumentNullException>(() => ChartHtml.Render(null!));
    }

    [Fact]
    public void Heatmaps_put_each_panel_in_its_own_trace_with_row_0_at_the_top()
    {
        Tensor a = Tensor.FromFunction(2, 3, (r, c) => r * 10 + c);
        Tensor b = Tensor.FromFunction(3, 2, (r, c) => -(r * 10 + c));
        string html = ChartHtml.Render(Charts.Heatmaps([("first panel", a), ("second panel", b)], columns: 2, title: "both"));
        JsonElement figure = ChartFigure.Of(html);
        JsonElement[] traces = figure.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(2, traces.Length);
        Tensor[] images = [a, b];
        for (int i = 0; i < 2; i++)
        {
            double[][] z = Z(traces[i]);
            int height = images[i].Shape[0];
            Assert.Equal(height, z.Length);
            for (int r = 0; r < height; r++) Assert.Equal(Row(images[i], r), z[height - 1 - r]);
        }
        string layout = figure.GetProperty("layout").GetRawText();
        Assert.Contains("first panel", layout, StringComparison.Ordinal);
        Assert.Contains("second panel", layout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_labelled_heatmap_keeps_the_first_row_at_the_top_with_its_label()
    {
        double[,] values = { { 1, 2, 3 }, { 4, 5, 6 } };
        string html = ChartHtml.Render(Charts.Heatmap(values, ["s=1", "s=2", "s=3"], ["p=0", "p=1"], "output width", "stride", "padding"));
        JsonElement figure = ChartFigure.Of(html);
        JsonElement trace = Assert.Single(figure.GetProperty("data").EnumerateArray());
        Assert.Equal([new[] { 4.0, 5.0, 6.0 }, new[] { 1.0, 2.0, 3.0 }], Z(trace));
        Assert.Equal(["p=1", "p=0"], Strings(trace, "y"));
        Assert.Equal(["s=1", "s=2", "s=3"], Strings(trace, "x"));
        string layout = figure.GetProperty("layout").GetRawText();
        Assert.Contains("output width", layout, StringComparison.Ordinal);
        Assert.Contains("\"stride\"", layout, StringComparison.Ordinal);
        Assert.Contains("\"padding\"", layout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 })]
    [InlineData(new[] { 1, 2, 3, 4 })]
    [InlineData(new[] { 2, 1, 3, 4 })]
    public void A_tensor_with_more_than_one_image_throws_naming_image(int[] shape)
    {
        Tensor t = Tensor.Zeros(shape);
        var ex = Assert.Throws<ArgumentException>(() => Charts.Heatmap(t));
        Assert.Equal("image", ex.ParamName);
        Assert.Contains(Tensor.ShapeText(shape), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_image_throws_naming_image()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => Charts.Heatmap((Tensor)null!));
        Assert.Equal("image", ex.ParamName);
    }

    [Fact]
    public void Heatmaps_reject_an_empty_list_bad_panels_and_bad_columns()
    {
        var empty = Assert.Throws<ArgumentException>(() => Charts.Heatmaps([]));
        Assert.Equal("panels", empty.ParamName);

        var bad = Assert.Throws<ArgumentException>(() => Charts.Heatmaps([("ok", Tensor.Zeros(2, 2)), ("two channels", Tensor.Zeros(2, 2, 2))]));
        Assert.Equal("panels", bad.ParamName);

        var columns = Assert.Throws<ArgumentOutOfRangeException>(() => Charts.Heatmaps([("ok", Tensor.Zeros(2, 2))], columns: 0));
        Assert.Equal("columns", columns.ParamName);

        Assert.Throws<ArgumentNullException>(() => Charts.Heatmaps(null!));
    }

    [Fact]
    public void The_labelled_heatmap_rejects_label_counts_that_do_not_match()
    {
        double[,] values = new double[2, 3];
        var cols = Assert.Throws<ArgumentException>(() => Charts.Heatmap(values, ["a", "b"], ["r0", "r1"]));
        Assert.Equal("columnLabels", cols.ParamName);
        Assert.Contains("3", cols.Message, StringComparison.Ordinal);

        var rows = Assert.Throws<ArgumentException>(() => Charts.Heatmap(values, ["a", "b", "c"], ["r0", "r1", "r2"]));
        Assert.Equal("rowLabels", rows.ParamName);

        var empty = Assert.Throws<ArgumentException>(() => Charts.Heatmap(new double[0, 3], ["a", "b", "c"], []));
        Assert.Equal("values", empty.ParamName);
    }
}
