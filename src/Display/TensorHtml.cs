using System.Globalization;
using System.Net;
using System.Text;

namespace Conv.Notebook.Display;

/// <summary>
/// A tensor as a compact HTML table whose cells are shaded by value, one table per 2-D slice, under a
/// caption with the shape. This is how a <see cref="Tensor"/> shows in a notebook cell.
/// </summary>
/// <example><code>string html = TensorHtml.Render(Tensor.Arange(16).Reshape(1, 1, 4, 4));</code></example>
public static class TensorHtml
{
    /// <summary>Rows and columns shown at each end of a dimension that is cut short.</summary>
    public const int EdgeItems = 6;

    /// <summary>Slices shown at each end when a tensor has many channels or batch entries.</summary>
    public const int EdgeSlices = 2;

    /// <summary>
    /// The tensor as HTML: shape caption, then each 2-D slice (the last two dimensions) as a shaded table;
    /// long dimensions show their first and last <see cref="EdgeItems"/> entries.
    /// </summary>
    /// <param name="tensor">The tensor to show.</param>
    /// <param name="title">An optional caption shown before the shape.</param>
    /// <example><code>display(HTML(TensorHtml.Render(y, "after reflect padding")));</code></example>
    public static string Render(Tensor tensor, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ReadOnlySpan<float> data = tensor.Span;
        int[] shape = tensor.Shape;
        int rows = shape.Length >= 2 ? shape[^2] : 1;
        int cols = shape.Length >= 1 ? shape[^1] : 1;
        // An empty tensor (a batch of none) has no slices to draw: its caption says so.
        int slices = tensor.Length == 0 ? 0 : tensor.Length / (rows * cols);

        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in data)
        {
            if (!float.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        bool integral = true;
        foreach (float v in data)
        {
            if (v != MathF.Round(v)) { integral = false; break; }
        }

        var html = new StringBuilder();
        html.Append("<div class=\"cn-tensor\" style=\"font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;margin:4px 0\">");
        html.Append("<div style=\"color:#555;margin-bottom:4px\">");
        if (!string.IsNullOrEmpty(title)) html.Append("<b>").Append(WebUtility.HtmlEncode(title)).Append("</b> · ");
        html.Append("Tensor ").Append(WebUtility.HtmlEncode(Tensor.ShapeText(shape)));
        if (float.IsFinite(min))
        {
            html.Append(" · min ").Append(Number(min, integral)).Append(" · max ").Append(Number(max, integral));
        }
        if (tensor.Length == 0) html.Append(" · empty, no elements");
        html.Append("</div><div style=\"display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start\">");

        int[] leading = shape.Length > 2 ? shape[..^2] : [];
        foreach (int s in Visible(slices, EdgeSlices))
        {
            if (s < 0)
            {
                html.Append("<div style=\"align-self:center;color:#888\">…</div>");
                continue;
            }
            html.Append("<div>");
            if (leading.Length > 0)
            {
                html.Append("<div style=\"color:#888\">[").Append(SliceIndex(s, leading)).Append(", :, :]</div>");
            }
            html.Append("<table style=\"border-collapse:collapse\">");
            foreach (int r in Visible(rows, EdgeItems))
            {
                html.Append("<tr>");
                foreach (int c in Visible(cols, EdgeItems))
                {
                    if (r < 0 || c < 0)
                    {
                        html.Append("<td style=\"padding:1px 4px;text-align:center;color:#888\">").Append(r < 0 && c < 0 ? "⋱" : r < 0 ? "⋮" : "…").Append("</td>");
                        continue;
                    }
                    float v = data[(s * rows + r) * cols + c];
                    (string background, string foreground) = Shade(v, min, max);
                    html.Append("<td style=\"padding:1px 4px;text-align:right;border:1px solid #fff;background:")
                        .Append(background).Append(";color:").Append(foreground).Append("\">")
                        .Append(Number(v, integral)).Append("</td>");
                }
                html.Append("</tr>");
            }
            html.Append("</table></div>");
        }
        html.Append("</div></div>");
        // Read through a span, the elements may be lent by ResultMemory: the tensor stays alive until they are written out.
        GC.KeepAlive(tensor);
        return html.ToString();
    }

    /// <summary>The indices to show of a dimension of <paramref name="size"/>, with -1 where entries are left out.</summary>
    private static IEnumerable<int> Visible(int size, int edge)
    {
        if (size <= 2 * edge + 1)
        {
            for (int i = 0; i < size; i++) yield return i;
            yield break;
        }
        for (int i = 0; i < edge; i++) yield return i;
        yield return -1;
        for (int i = size - edge; i < size; i++) yield return i;
    }

    private static string SliceIndex(int slice, int[] leading)
    {
        var index = new int[leading.Length];
        for (int d = leading.Length - 1; d >= 0; d--)
        {
            index[d] = slice % leading[d];
            slice /= leading[d];
        }
        return string.Join(", ", index);
    }

    private static string Number(float v, bool integral) =>
        NumberText.Format(v,
            integral || !float.IsFinite(v) ? "0" :
            Math.Abs(v) >= 1e4f || (v != 0 && Math.Abs(v) < 1e-2f) ? "0.0e0" :
            "0.00");

    /// <summary>
    /// A background for the value: a blue–white–red scale centred on zero when the tensor has both signs,
    /// a white–blue scale otherwise; the text turns white on dark cells.
    /// </summary>
    private static (string Background, string Foreground) Shade(float v, float min, float max)
    {
        if (!float.IsFinite(v) || !(max > min)) return ("#f4f4f4", "#222");
        double r, g, b, t;
        if (min < 0 && max > 0)
        {
            double m = Math.Max(-min, max);
            t = v / m;
            (r, g, b) = t < 0 ? Mix((255, 255, 255), (49, 104, 172), -t) : Mix((255, 255, 255), (196, 58, 50), t);
            t = Math.Abs(t);
        }
        else
        {
            t = (v - min) / (max - min);
            (r, g, b) = Mix((247, 251, 255), (33, 81, 155), t);
        }
        string background = string.Create(CultureInfo.InvariantCulture, $"rgb({(int)r},{(int)g},{(int)b})");
        return (background, t > 0.6 ? "#fff" : "#222");
    }

    private static (double, double, double) Mix((double R, double G, double B) from, (double R, double G, double B) to, double t) =>
        (from.R + (to.R - from.R) * t, from.G + (to.G - from.G) * t, from.B + (to.B - from.B) * t);
}
