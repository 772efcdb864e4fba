using System.Globalization;
using System.Text;

namespace Conv.Notebook.Display;

/// <summary>
/// Mirror padding as a map: reflect and symmetric padding of one small 2-D input side by side, and a frame per
/// padded cell (step with the slider or hover a cell) lighting up the input cell that it copies in each reading, and
/// the other padded cells that copy the same one. Reflect mirrors about the edge element, so that element is not
/// repeated; symmetric mirrors about the edge itself and repeats it.
/// </summary>
/// <example><code>MirrorPaddingMap.Render(Tensor.Arange(16).Reshape(4, 4), padding: 2)</code></example>
public static class MirrorPaddingMap
{
    /// <summary>The most cells of a padded panel drawn.</summary>
    public const int MaxCells = 900;

    /// <summary>The two padded panels of a (H, W) <paramref name="input"/>, <paramref name="padding"/> on every side.</summary>
    /// <param name="input">Shape (H, W), (1, H, W) or (1, 1, H, W).</param>
    /// <param name="padding">Rows and columns added on each side, at least 1 and below the input's height and width
    /// (reflect's limit).</param>
    /// <exception cref="ArgumentException">The shape has more than one channel, or the padding is out of range.</exception>
    /// <example><code>MirrorPaddingMap.Render(Tensor.Arange(12).Reshape(3, 4), padding: 2)</code></example>
    public static HtmlView Render(Tensor input, int padding)
    {
        MirrorSteps steps = Steps(input, padding);
        int ph = steps.Height + 2 * padding, pw = steps.Width + 2 * padding;
        string title = string.Create(CultureInfo.InvariantCulture,
            $"Mirror padding: input {steps.Height} × {steps.Width}, padded by {padding} on every side → {ph} × {pw}. Hover or step through the padded cells.");
        if ((long)ph * pw > MaxCells)
        {
            return new HtmlView(AnimationHtml.Render(title, "", [], "", string.Create(CultureInfo.InvariantCulture,
                $"Not drawn: a padded panel has {ph} × {pw} = {(long)ph * pw} cells, more than {MaxCells}. Map a smaller input.")));
        }
        bool values = AnimationHtml.ShowsValues(ph, pw);
        var frameOf = new Dictionary<(int, int), int>();
        for (int f = 0; f < steps.Cells.Count; f++) frameOf[(steps.Cells[f].Row, steps.Cells[f].Column)] = f;

        var html = new StringBuilder();
        foreach (var (name, panel, padded) in new[] { ("reflect: the edge is not repeated", 0, steps.Reflect),
                     ("symmetric: the edge is repeated", 1, steps.Symmetric) })
        {
            html.Append("<div><div class=\"cn-a-head\">").Append(AnimationHtml.Escape(name)).Append("</div><table><tr><td class=\"lbl\"></td>");
            for (int c = 0; c < pw; c++) html.Append("<td class=\"lbl\">").Append(c - padding).Append("</td>");
            html.Append("</tr>");
            for (int r = 0; r < ph; r++)
            {
                html.Append("<tr><td class=\"lbl\">").Append(r - padding).Append("</td>");
                for (int c = 0; c < pw; c++)
                {
                    bool pad = frameOf.TryGetValue((r, c), out int f);
                    AnimationHtml.Cell(html, panel * ph * pw + r * pw + c, pad ? "pad" : "",
                        values ? AnimationHtml.Number(padded[r * pw + c]) : "", pad ? f : null);
                }
                html.Append("</tr>");
            }
            html.Append("</table></div>");
        }

        var frames = new List<AnimationFrame>(steps.Cells.Count);
        foreach (MirrorCell cell in steps.Cells)
        {
            var show = new List<CellStep>();
            foreach (var (panel, source) in new[] { (0, cell.Reflect), (1, cell.Symmetric) })
            {
                int start = panel * ph * pw;
                foreach (MirrorCell other in steps.Cells)
                {
                    var otherSource = panel == 0 ? other.Reflect : other.Symmetric;
                    if (otherSource == source && other != cell) show.Add(new CellStep(start + other.Row * pw + other.Column, "same"));
                }
                show.Add(new CellStep(start + (source.Row + padding) * pw + source.Column + padding, "src"));
                show.Add(new CellStep(start + cell.Row * pw + cell.Column, "cur"));
            }
            frames.Add(new AnimationFrame(string.Create(CultureInfo.InvariantCulture,
                $"padded cell [{cell.Row - padding}, {cell.Column - padding}] (in the input's indices)\n" +
                $"reflect copies input [{cell.Reflect.Row}, {cell.Reflect.Column}] = {AnimationHtml.Number(steps.Input[cell.Reflect.Row * steps.Width + cell.Reflect.Column])}; " +
                $"symmetric copies input [{cell.Symmetric.Row}, {cell.Symmetric.Column}] = {AnimationHtml.Number(steps.Input[cell.Symmetric.Row * steps.Width + cell.Symmetric.Column])}"),
                show));
        }
        string legend = "orange: the padded cell · green: the input cell it copies · light green: other padded cells copying it · dashed: padding";
        return new HtmlView(AnimationHtml.Render(title, html.ToString(), frames, legend, null, values ? 30 : 16, 500));
    }

    /// <summary>The map's data: per padded cell outside the input (row-major), the input cell each reading copies,
    /// from <see cref="Padding.SourceIndices"/>, and both padded tensors from <see cref="Padding.Pad"/>.</summary>
    internal static MirrorSteps Steps(Tensor input, int padding)
    {
        ArgumentNullException.ThrowIfNull(input);
        int h = ConvAnimation.Plane(input, nameof(input), "(H, W), (1, H, W) or (1, 1, H, W)", out int w);
        if (padding < 1 || padding > Math.Min(h, w) - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding,
                $"The padding must be at least 1 and at most min(height, width) − 1 = {Math.Min(h, w) - 1} (reflect's limit) for an input of {h} × {w}, but it is {padding}.");
        }
        Tensor plane = input.Reshape(h, w);
        int[] pads = [padding, padding, padding, padding];
        float[] reflect = Padding.Pad(plane, pads, PaddingMode.Reflect).ToArray();
        float[] symmetric = Padding.Pad(plane, pads, PaddingMode.Symmetric).ToArray();
        int[] reflectRows = Padding.SourceIndices(h, padding, padding, PaddingMode.Reflect);
        int[] reflectColumns = Padding.SourceIndices(w, padding, padding, PaddingMode.Reflect);
        int[] symmetricRows = Padding.SourceIndices(h, padding, padding, PaddingMode.Symmetric);
        int[] symmetricColumns = Padding.SourceIndices(w, padding, padding, PaddingMode.Symmetric);
        var cells = new List<MirrorCell>();
        for (int r = 0; r < h + 2 * padding; r++)
        {
            for (int c = 0; c < w + 2 * padding; c++)
            {
                bool inside = r >= padding && r < padding + h && c >= padding && c < padding + w;
                if (!inside) cells.Add(new MirrorCell(r, c, (reflectRows[r], reflectColumns[c]), (symmetricRows[r], symmetricColumns[c])));
            }
        }
        return new MirrorSteps(h, w, padding, input.ToArray(), reflect, symmetric, cells);
    }
}

/// <summary>A padded cell (row and column of the padded grid) and the input cell that reflect and symmetric padding copy into it.</summary>
internal sealed record MirrorCell(int Row, int Column, (int Row, int Column) Reflect, (int Row, int Column) Symmetric);

/// <summary>The data of <see cref="MirrorPaddingMap"/>: the input, both padded tensors (row-major) and the padded cells.</summary>
internal sealed record MirrorSteps(int Height, int Width, int Padding, float[] Input, float[] Reflect, float[] Symmetric,
    IReadOnlyList<MirrorCell> Cells);
