using System.Text.RegularExpressions;
using Conv.Notebook.Display;
using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="WindowPicture.Render"/>: one cell per padded position, each showing how many 2-D windows read it,
/// and a ✗ on exactly the input cells in a row or column that no window reads.
/// </summary>
public sealed partial class WindowPictureTests
{
    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowRegex();

    [GeneratedRegex("<td title=\"(\\w+)\"[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellRegex();

    /// <summary>(title, text) of every cell, row by row.</summary>
    private static List<(string Title, string Text)[]> Cells(HtmlView view) =>
        RowRegex().Matches(view.Html)
            .Select(r => CellRegex().Matches(r.Groups[1].Value).Select(c => (c.Groups[1].Value, c.Groups[2].Value)).ToArray())
            .ToList();

    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    /// <summary>The cells marked as never read (the legend under the table also shows a ✗, which is not counted).</summary>
    private static int Marks(HtmlView view) => Cells(view).Sum(row => row.Count(c => c.Text == "✗"));

    [Fact]
    public void Exercise1_marks_rows_6_and_7_across_the_input_width()
    {
        HtmlView view = WindowPicture.Render(8, 8, kernel: (3, 5), padding: (0, 1), stride: (3, 4));
        // 8 rows (no vertical padding) × 10 columns (one padding column on each side).
        Assert.Equal(8 * 10, Count(view.Html, "<td"));
        // Rows 6 and 7 are never read: their 8 input cells each, 16 in all; no column is skipped.
        Assert.Equal(16, Marks(view));
        Assert.Contains("rows never read: 6, 7", view.Html, StringComparison.Ordinal);
        Assert.Contains("columns never read: none", view.Html, StringComparison.Ordinal);
        Assert.Contains("output 2×2", view.Html, StringComparison.Ordinal);

        List<(string Title, string Text)[]> cells = Cells(view);
        Assert.Equal(8, cells.Count);
        // Row 0 is read by one window vertically; horizontally the windows cover padded columns 0..4 and 4..8,
        // so column 4 is read twice and the right padding column 9 never.
        Assert.Equal(["1", "1", "1", "1", "2", "1", "1", "1", "1", ""], cells[0].Select(c => c.Text));
        Assert.Equal(["padding", .. Enumerable.Repeat("input", 8), "padding"], cells[0].Select(c => c.Title));
        Assert.Equal(["", .. Enumerable.Repeat("✗", 8), ""], cells[7].Select(c => c.Text));
    }

    [Fact]
    public void Skipped_rows_and_columns_overlap_once()
    {
        // 7 × 7, kernel 2 × 2, stride 3 × 3: windows start at 0 and 3, reading 0, 1, 3, 4; rows and columns
        // 2, 5, 6 are skipped. ✗ = 3·7 + 3·7 − 3·3 = 33.
        HtmlView view = WindowPicture.Render(7, 7, kernel: (2, 2), stride: (3, 3));
        Assert.Equal(49, Count(view.Html, "<td"));
        Assert.Equal(33, Marks(view));
        Assert.Contains("rows never read: 2, 5, 6", view.Html, StringComparison.Ordinal);
        Assert.Contains("columns never read: 2, 5, 6", view.Html, StringComparison.Ordinal);
    }

    private static Gen<(int Size, int Kernel, int Padding, int Stride, int Dilation)> AxisGen =>
        from size in Gen.Int[1, 10]
        from padding in Gen.Int[0, 3]
        from dilation in Gen.Int[1, 3]
        from kernel in Gen.Int[1, Math.Min(5, (size + 2 * padding - 1) / dilation + 1)]
        from stride in Gen.Int[1, 5]
        select (size, kernel, padding, stride, dilation);

    [Fact]
    public void Cells_and_marks_agree_with_the_windows_of_each_axis()
    {
        var gen = from h in AxisGen from w in AxisGen select (h, w);
        gen.Sample(c =>
        {
            var (h, w) = c;
            HtmlView view = WindowPicture.Render(h.Size, w.Size, (h.Kernel, w.Kernel), (h.Padding, w.Padding), (h.Stride, w.Stride), (h.Dilation, w.Dilation));
            int paddedH = h.Size + 2 * h.Padding, paddedW = w.Size + 2 * w.Padding;
            Assert.Equal(paddedH * paddedW, Count(view.Html, "<td"));

            int[] skippedRows = ConvWindows.Untouched(h.Size, h.Kernel, h.Padding, h.Stride, h.Dilation);
            int[] skippedCols = ConvWindows.Untouched(w.Size, w.Kernel, w.Padding, w.Stride, w.Dilation);
            int marks = skippedRows.Length * w.Size + skippedCols.Length * h.Size - skippedRows.Length * skippedCols.Length;
            Assert.Equal(marks, Marks(view));

            // A cell's number is the count of 2-D windows reading it: windows reading its row times windows reading its column.
            int[] rows = ConvWindows.Coverage(h.Size, h.Kernel, h.Padding, h.Stride, h.Dilation);
            int[] cols = ConvWindows.Coverage(w.Size, w.Kernel, w.Padding, w.Stride, w.Dilation);
            List<(string Title, string Text)[]> cells = Cells(view);
            Assert.Equal(paddedH, cells.Count);
            for (int r = 0; r < paddedH; r++)
            {
                Assert.Equal(paddedW, cells[r].Length);
                for (int q = 0; q < paddedW; q++)
                {
                    bool input = r >= h.Padding && r < h.Padding + h.Size && q >= w.Padding && q < w.Padding + w.Size;
                    int count = rows[r] * cols[q];
                    Assert.Equal(input ? "input" : "padding", cells[r][q].Title);
                    Assert.Equal(count > 0 ? $"{count}" : input ? "✗" : "", cells[r][q].Text);
                }
            }
        }, iter: 300);
    }

    [Fact]
    public void Dilation_is_mentioned_only_when_used()
    {
        Assert.DoesNotContain("dilation", WindowPicture.Render(5, 5, kernel: (2, 2)).Html, StringComparison.Ordinal);
        Assert.Contains("dilation (2, 1)", WindowPicture.Render(5, 5, kernel: (2, 2), dilation: (2, 1)).Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_parameters_throw_naming_the_parameter()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WindowPicture.Render(8, 8, kernel: (3, 3), stride: (0, 1)));
        Assert.Equal("stride", ex.ParamName);
        Assert.Throws<ArgumentException>(() => WindowPicture.Render(2, 8, kernel: (3, 3)));
    }
}
