using System.Globalization;
using System.Text;

namespace Conv.Notebook.Display;

/// <summary>
/// A picture of a 2-D convolution's windows on its padded input: each cell shows how many windows read it,
/// padding cells are dashed, and input cells that no window reads are marked, so the effect of a stride that
/// does not divide the input is plain to see.
/// </summary>
/// <example><code>WindowPicture.Render(8, 8, kernel: (3, 5), padding: (0, 1), stride: (3, 4))</code></example>
public static class WindowPicture
{
    /// <summary>The picture for an input of <paramref name="height"/> × <paramref name="width"/>.</summary>
    /// <param name="height">The input height.</param>
    /// <param name="width">The input width.</param>
    /// <param name="kernel">The kernel (height, width).</param>
    /// <param name="padding">The padding (height, width) on each side; null means none.</param>
    /// <param name="stride">The stride (height, width); null means (1, 1).</param>
    /// <param name="dilation">The dilation (height, width); null means (1, 1).</param>
    /// <example><code>WindowPicture.Render(5, 5, kernel: (2, 2), stride: (2, 2))</code></example>
    public static HtmlView Render(int height, int width, (int H, int W) kernel, (int H, int W)? padding = null,
        (int H, int W)? stride = null, (int H, int W)? dilation = null)
    {
        var (p, s, d) = (padding ?? (0, 0), stride ?? (1, 1), dilation ?? (1, 1));
        int[] rows = ConvWindows.Coverage(height, kernel.H, p.H, s.H, d.H);
        int[] cols = ConvWindows.Coverage(width, kernel.W, p.W, s.W, d.W);
        int[] skippedRows = ConvWindows.Untouched(height, kernel.H, p.H, s.H, d.H);
        int[] skippedCols = ConvWindows.Untouched(width, kernel.W, p.W, s.W, d.W);
        int max = rows.Max() * cols.Max();

        var html = new StringBuilder();
        html.Append("<div class=\"cn-windows\" style=\"font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px\">");
        html.Append("<div style=\"color:#555;margin-bottom:4px\">")
            .Append(CultureInfo.InvariantCulture, $"input {height}×{width}, kernel {kernel.H}×{kernel.W}, padding ({p.H}, {p.W}), stride ({s.H}, {s.W})")
            .Append(d == (1, 1) ? "" : string.Create(CultureInfo.InvariantCulture, $", dilation ({d.H}, {d.W})"))
            .Append(CultureInfo.InvariantCulture, $" → output {ConvShape.Output(height, kernel.H, p.H, s.H, d.H)}×{ConvShape.Output(width, kernel.W, p.W, s.W, d.W)}")
            .Append("</div><table style=\"border-collapse:separate;border-spacing:2px\">");
        for (int r = 0; r < rows.Length; r++)
        {
            html.Append("<tr>");
            for (int c = 0; c < cols.Length; c++)
            {
                bool pad = r < p.H || r >= p.H + height || c < p.W || c >= p.W + width;
                int count = rows[r] * cols[c];
                string background = count == 0
                    ? (pad ? "#fff" : "#fde2d4")
                    : string.Create(CultureInfo.InvariantCulture, $"rgba(33,81,155,{0.15 + 0.75 * count / max:0.00})");
                string border = pad ? "1px dashed #bbb" : count == 0 ? "1px solid #d9534f" : "1px solid #21519b";
                string text = count == 0 ? (pad ? "" : "✗") : count.ToString(CultureInfo.InvariantCulture);
                string color = count == 0 ? "#d9534f" : count > max / 2 ? "#fff" : "#123";
                html.Append("<td title=\"").Append(pad ? "padding" : "input").Append("\" style=\"width:22px;height:22px;text-align:center;background:")
                    .Append(background).Append(";border:").Append(border).Append(";color:").Append(color).Append("\">")
                    .Append(text).Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</table><div style=\"color:#555;margin-top:4px\">numbers: windows reading the cell · dashed: padding · ✗: input never read");
        html.Append(" · rows never read: ").Append(List(skippedRows)).Append(" · columns never read: ").Append(List(skippedCols));
        html.Append("</div></div>");
        return new HtmlView(html.ToString());
    }

    private static string List(int[] indices) => indices.Length == 0 ? "none" : string.Join(", ", indices);
}
