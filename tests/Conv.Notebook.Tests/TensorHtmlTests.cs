using System.Net;
using System.Text.RegularExpressions;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="TensorHtml.Render"/>: the caption, the cut of long dimensions, and that each table holds the
/// values of its slice in the right places. The HTML is read back with a small cell parser.
/// </summary>
public sealed partial class TensorHtmlTests
{
    [GeneratedRegex("<table.*?</table>", RegexOptions.Singleline)]
    private static partial Regex TableRegex();

    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowRegex();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellRegex();

    /// <summary>The text of every cell, table by table and row by row.</summary>
    private static List<List<string[]>> Tables(string html) =>
        TableRegex().Matches(html)
            .Select(t => RowRegex().Matches(t.Value)
                .Select(r => CellRegex().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray())
                .ToList())
            .ToList();

    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    private static bool IsEllipsis(string cell) => cell is "…" or "⋮" or "⋱";

    /// <summary>The indices a cut dimension shows: all when it is short, else the first and last <paramref name="edge"/>.</summary>
    private static int[] Shown(int size, int edge) =>
        size <= 2 * edge + 1 ? Enumerable.Range(0, size).ToArray() : [.. Enumerable.Range(0, edge), .. Enumerable.Range(size - edge, edge)];

    [Theory]
    [InlineData(new[] { 0, 3, 8, 8 })]
    [InlineData(new[] { 4, 0 })]
    public void An_empty_tensor_shows_its_shape_and_no_table(int[] shape)
    {
        string html = TensorHtml.Render(Tensor.Zeros(shape));
        Assert.Contains(Tensor.ShapeText(shape), html, StringComparison.Ordinal);
        Assert.Contains("empty, no elements", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
        Assert.DoesNotContain("min", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_caption_has_the_shape_and_the_range()
    {
        string html = TensorHtml.Render(Tensor.Arange(16).Reshape(1, 1, 4, 4));
        Assert.Contains("(1, 1, 4, 4)", html, StringComparison.Ordinal);
        Assert.Contains("min 0", html, StringComparison.Ordinal);
        Assert.Contains("max 15", html, StringComparison.Ordinal);
        Assert.Contains("class=\"cn-tensor\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_zero_prints_as_0()
    {
        List<string[]> integral = Assert.Single(Tables(TensorHtml.Render(Tensor.FromArray([-0f, 1f, -2f]))));
        Assert.Equal(["0", "1", "-2"], Assert.Single(integral));
        List<string[]> fractional = Assert.Single(Tables(TensorHtml.Render(Tensor.FromArray([-0f, 0.5f, -0.25f, -0.001f]))));
        Assert.Equal(["0.00", "0.50", "-0.25", "-1.0e-3"], Assert.Single(fractional));
        Assert.DoesNotContain("min -0", TensorHtml.Render(Tensor.FromArray([-0f, 0f])), StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_tensor_shows_every_value_in_place()
    {
        // 0..15 in a 4 × 4 grid: row r holds 4r .. 4r + 3.
        List<List<string[]>> tables = Tables(TensorHtml.Render(Tensor.Arange(16).Reshape(1, 1, 4, 4)));
        List<string[]> table = Assert.Single(tables);
        Assert.Equal(4, table.Count);
        for (int r = 0; r < 4; r++)
        {
            Assert.Equal(Enumerable.Range(4 * r, 4).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), table[r]);
        }
        Assert.DoesNotContain("…", TensorHtml.Render(Tensor.Arange(16).Reshape(1, 1, 4, 4)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, 20)]
    [InlineData(14, 3)]
    [InlineData(3, 14)]
    [InlineData(13, 13)]
    [InlineData(1, 30)]
    public void Long_dimensions_show_their_first_and_last_edge_items(int height, int width)
    {
        Tensor t = Tensor.FromFunction(height, width, (r, c) => r * 1000 + c);
        string html = TensorHtml.Render(t);
        List<string[]> table = Assert.Single(Tables(html));
        int[] rows = Shown(height, TensorHtml.EdgeItems), cols = Shown(width, TensorHtml.EdgeItems);
        bool rowsCut = height > 2 * TensorHtml.EdgeItems + 1, colsCut = width > 2 * TensorHtml.EdgeItems + 1;

        Assert.Equal(rows.Length + (rowsCut ? 1 : 0), table.Count);
        Assert.Equal(rowsCut || colsCut, html.Contains('…') || html.Contains('⋮'));
        var valueRows = table.Where(row => !row.All(IsEllipsis)).ToList();
        Assert.Equal(rows.Length, valueRows.Count);
        for (int i = 0; i < rows.Length; i++)
        {
            string[] values = valueRows[i].Where(c => !IsEllipsis(c)).ToArray();
            Assert.Equal(colsCut ? 2 * TensorHtml.EdgeItems : width, values.Length);
            Assert.Equal(cols.Select(c => (rows[i] * 1000 + c).ToString(System.Globalization.CultureInfo.InvariantCulture)), values);
            Assert.Equal(colsCut ? 1 : 0, valueRows[i].Count(IsEllipsis));
        }
    }

    [Fact]
    public void The_ellipsis_sits_between_the_two_edges()
    {
        List<string[]> table = Assert.Single(Tables(TensorHtml.Render(Tensor.FromFunction(20, 20, (r, c) => r + c))));
        Assert.True(table[TensorHtml.EdgeItems].All(IsEllipsis), "the row after the first edge items is the ellipsis row");
        Assert.Equal("⋱", table[TensorHtml.EdgeItems][TensorHtml.EdgeItems]);
        Assert.Equal("…", table[0][TensorHtml.EdgeItems]);
    }

    [Fact]
    public void Special_values_are_written_as_words()
    {
        Tensor t = new([1, 4], [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f]);
        string[] cells = Assert.Single(Assert.Single(Tables(TensorHtml.Render(t))));
        Assert.Equal(["nan", "inf", "-inf", "0.50"], cells);
    }

    [Fact]
    public void Whole_numbers_have_no_decimals_and_fractions_have_two()
    {
        string[] whole = Assert.Single(Assert.Single(Tables(TensorHtml.Render(Tensor.FromArray([1f, -2f, 30f])))));
        Assert.Equal(["1", "-2", "30"], whole);
        string[] fractional = Assert.Single(Assert.Single(Tables(TensorHtml.Render(Tensor.FromArray([1f, -2.5f, 0.126f])))));
        Assert.Equal(["1.00", "-2.50", "0.13"], fractional);
    }

    [Fact]
    public void The_title_is_html_encoded()
    {
        string html = TensorHtml.Render(Tensor.Zeros(2, 2), "a <b> & \"c\"");
        Assert.Contains(WebUtility.HtmlEncode("a <b> & \"c\""), html, StringComparison.Ordinal);
        Assert.DoesNotContain("a <b>", html, StringComparison.Ordinal);
        Assert.Equal(1, Count(html, "<b>"));
    }

    [Theory]
    [InlineData(new[] { 4, 4 }, 1)]
    [InlineData(new[] { 1, 1, 4, 4 }, 1)]
    [InlineData(new[] { 3, 2, 2 }, 3)]
    [InlineData(new[] { 5, 2, 2 }, 5)]
    [InlineData(new[] { 6, 2, 2 }, 4)]
    [InlineData(new[] { 2, 3, 2, 2 }, 4)]
    [InlineData(new[] { 7 }, 1)]
    public void There_is_one_table_per_shown_slice(int[] shape, int tables)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        string html = TensorHtml.Render(Tensor.Arange(count).Reshape(shape));
        Assert.Equal(tables, Count(html, "<table"));
        int slices = count / (shape.Length >= 2 ? shape[^1] * shape[^2] : shape[^1]);
        bool cut = slices > 2 * TensorHtml.EdgeSlices + 1;
        Assert.Equal(cut ? 2 * TensorHtml.EdgeSlices : slices, tables);
        Assert.Equal(cut, html.Contains('…'));
    }

    [Fact]
    public void Each_slice_table_holds_its_own_values_under_its_index()
    {
        // Shape (2, 3, 2, 2): 6 slices, of which 0, 1, 4 and 5 are shown, labelled by their (batch, channel) index.
        Tensor t = Tensor.Arange(24).Reshape(2, 3, 2, 2);
        string html = TensorHtml.Render(t);
        List<List<string[]>> tables = Tables(html);
        int[] shown = [0, 1, 4, 5];
        Assert.Equal(shown.Length, tables.Count);
        for (int i = 0; i < shown.Length; i++)
        {
            int s = shown[i];
            string[] values = tables[i].SelectMany(row => row).ToArray();
            Assert.Equal(Enumerable.Range(4 * s, 4).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), values);
            Assert.Contains($"[{s / 3}, {s % 3}, :, :]", html, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("[0, 2, :, :]", html, StringComparison.Ordinal);
        Assert.DoesNotContain("[1, 0, :, :]", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_tensor_throws()
    {
        Assert.Throws<ArgumentNullException>(() => TensorHtml.Render(null!));
    }
}
