using System.Globalization;
using System.Text;

namespace Conv.Notebook.Display;

/// <summary>
/// A step-through animation of a small 2-D transposed convolution, one frame per input pixel: the pixel stamps the
/// kernel, scaled by its value, onto the output at stride spacing, and where stamps overlap the sums accumulate, so
/// an uneven overlap (a checkerboard) grows frame by frame. Beside it, optionally, the same output reached the other
/// way: zeros inserted between the inputs, then a stride-1 convolution with the flipped kernel.
/// </summary>
/// <example><code>TransposedAnimation.Render(image, Tensor.Full([1, 1, 3, 3], 1f), stride: (2, 2), padding: (1, 1), outputPadding: (1, 1))</code></example>
public static class TransposedAnimation
{
    /// <summary>The most input pixels animated; a larger input shows its first ones and says so.</summary>
    public const int MaxFrames = 100;

    /// <summary>The most cells of the uncropped output drawn; a larger call is not drawn, and the picture says why.</summary>
    public const int MaxCells = 900;

    /// <summary>
    /// The animation of <c>Convolution.ConvTranspose2d(input, weight, stride: stride, padding: padding,
    /// outputPadding: outputPadding)</c> for one channel in and out.
    /// </summary>
    /// <param name="input">Shape (H, W), (1, H, W) or (1, 1, H, W).</param>
    /// <param name="weight">Shape (kH, kW) or (1, 1, kH, kW).</param>
    /// <param name="stride">The output step between neighbouring input pixels (height, width); null means (1, 1).</param>
    /// <param name="padding">Rows and columns cropped from each side of the output; null means (0, 0). At most the kernel size − 1
    /// when <paramref name="zeroInsertion"/> is shown.</param>
    /// <param name="outputPadding">Rows and columns added at the bottom and right, each below the stride; null means (0, 0).</param>
    /// <param name="zeroInsertion">Whether to show, beside the stamps, the zero-insertion construction that reaches the same output.</param>
    /// <exception cref="ArgumentException">A shape has more than one channel, or a size rule is broken.</exception>
    /// <example><code>TransposedAnimation.Render(Tensor.Full([3, 3], 1f), Tensor.Full([3, 3], 1f), stride: (2, 2))</code></example>
    public static HtmlView Render(Tensor input, Tensor weight, (int H, int W)? stride = null, (int H, int W)? padding = null,
        (int H, int W)? outputPadding = null, bool zeroInsertion = true)
    {
        var (s, p, a) = (stride ?? (1, 1), padding ?? (0, 0), outputPadding ?? (0, 0));
        StampSteps steps = Steps(input, weight, s, p, a);
        if (zeroInsertion && (p.H > steps.KernelHeight - 1 || p.W > steps.KernelWidth - 1))
        {
            throw new ArgumentException(
                $"The zero-insertion view pads by kernel − 1 − padding, so the padding must be at most the kernel size − 1: padding ({p.H}, {p.W}), kernel {steps.KernelHeight} × {steps.KernelWidth}. Pass zeroInsertion: false to show the stamps alone.",
                nameof(padding));
        }
        string title = string.Create(CultureInfo.InvariantCulture,
            $"ConvTranspose2d: input {steps.Height} × {steps.Width}, kernel {steps.KernelHeight} × {steps.KernelWidth}, stride ({s.H}, {s.W}), padding ({p.H}, {p.W})")
            + (a == (0, 0) ? "" : string.Create(CultureInfo.InvariantCulture, $", output padding ({a.H}, {a.W})"))
            + string.Create(CultureInfo.InvariantCulture, $" → output {steps.OutHeight} × {steps.OutWidth}");
        var html = new StringBuilder(Html(steps, "Each input pixel stamps pixel × kernel: " + title));
        if (zeroInsertion)
        {
            var (grid, padCells) = ZeroInserted(steps);
            Tensor flipped = new([steps.KernelHeight, steps.KernelWidth], steps.Kernel.Reverse().ToArray());
            ConvSteps conv = ConvAnimation.Steps(grid, flipped, (1, 1), (0, 0), (1, 1));
            html.Append(ConvAnimation.Html(conv, string.Create(CultureInfo.InvariantCulture,
                $"The same output by zero insertion: stride − 1 = {Pair(s.H - 1, s.W - 1)} zeros between neighbouring inputs, kernel − 1 − padding = {Pair(steps.KernelHeight - 1 - p.H, steps.KernelWidth - 1 - p.W)} around")
                + (a == (0, 0) ? "" : " (and the output padding at the bottom and right)")
                + ", then a stride-1 convolution with the kernel flipped",
                "zeros inserted, padded", "output", padCells));
        }
        return new HtmlView(html.ToString());
    }

    private static string Pair(int h, int w) =>
        h == w ? h.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"({h}, {w})");

    /// <summary>The input spread stride apart and padded (kernel − 1 − padding around, the output padding after) by
    /// the helper's own <see cref="FractionalStride.InsertZeros(Tensor, ValueTuple{int, int})"/> and
    /// <see cref="Padding.Pad"/>, and which cells hold no input.</summary>
    internal static (Tensor Grid, bool[,] PadCells) ZeroInserted(StampSteps steps)
    {
        var (s, p, a) = (steps.Stride, steps.Padding, steps.OutputPadding);
        int eh = steps.KernelHeight - 1 - p.H, ew = steps.KernelWidth - 1 - p.W;
        Tensor spread = FractionalStride.InsertZeros(new Tensor([steps.Height, steps.Width], steps.Input), s);
        Tensor grid = Padding.Pad(spread, [ew, ew + a.W, eh, eh + a.H]);
        var pad = new bool[grid.Size(0), grid.Size(1)];
        for (int r = 0; r < pad.GetLength(0); r++)
        {
            for (int c = 0; c < pad.GetLength(1); c++) pad[r, c] = true;
        }
        for (int r = 0; r < steps.Height; r++)
        {
            for (int c = 0; c < steps.Width; c++) pad[eh + r * s.H, ew + c * s.W] = false;
        }
        return (grid, pad);
    }

    private static string Html(StampSteps steps, string title)
    {
        int fh = steps.FullHeight, fw = steps.FullWidth;
        if ((long)fh * fw > MaxCells)
        {
            return AnimationHtml.Render(title, "", [], "", string.Create(CultureInfo.InvariantCulture,
                $"Not drawn: the output before cropping has {fh} × {fw} = {(long)fh * fw} cells, more than {MaxCells}. Animate a smaller input."));
        }
        bool values = AnimationHtml.ShowsValues(fh, fw);
        int cell = values ? 34 : 16;
        int inBase = fh * fw;
        var html = new StringBuilder();
        html.Append("<div><div class=\"cn-a-head\">input ").Append(steps.Height).Append(" × ").Append(steps.Width).Append("</div><table>");
        for (int r = 0; r < steps.Height; r++)
        {
            html.Append("<tr>");
            for (int c = 0; c < steps.Width; c++)
            {
                int frame = r * steps.Width + c;
                AnimationHtml.Cell(html, inBase + frame, "", values ? AnimationHtml.Number(steps.Input[frame]) : "",
                    frame < steps.Stamps.Count ? frame : null);
            }
            html.Append("</tr>");
        }
        html.Append("</table></div>");

        html.Append("<div><div class=\"cn-a-head\">output ").Append(steps.OutHeight).Append(" × ").Append(steps.OutWidth)
            .Append(steps.Padding == (0, 0) ? "" : ", inside the dashed border that the padding crops").Append("</div><table>");
        for (int r = 0; r < fh; r++)
        {
            html.Append("<tr>");
            for (int c = 0; c < fw; c++)
            {
                AnimationHtml.Cell(html, r * fw + c, steps.IsCropped(r, c) ? "pad" : "out", "",
                    title: steps.IsCropped(r, c) ? "cropped by the padding" : "output");
            }
            html.Append("</tr>");
        }
        html.Append("</table></div>");

        int most = Math.Max(1, steps.FinalCounts.Cast<int>().DefaultIfEmpty().Max());
        var frames = new List<AnimationFrame>(steps.Stamps.Count);
        foreach (Stamp stamp in steps.Stamps)
        {
            var show = new List<CellStep> { new(inBase + stamp.Row * steps.Width + stamp.Column, "cur") };
            var keep = new List<CellStep> { new(inBase + stamp.Row * steps.Width + stamp.Column, "done") };
            foreach (var (r, c) in stamp.Cells)
            {
                double sum = stamp.Sums[r, c];
                int count = stamp.Counts[r, c];
                string shade = string.Create(CultureInfo.InvariantCulture, $"rgba(33,81,155,{0.08 + 0.47 * count / most:0.00})");
                string cls = steps.IsCropped(r, c) ? "pad acc" : "acc";
                keep.Add(new CellStep(r * fw + c, cls, values ? AnimationHtml.Number(sum) : null, shade));
                show.Add(new CellStep(r * fw + c, cls + " stamp", values ? AnimationHtml.Number(sum) : null, shade));
            }
            frames.Add(new AnimationFrame(Caption(steps, stamp), show, keep));
        }
        string? note = steps.Stamps.Count < steps.Height * steps.Width
            ? string.Create(CultureInfo.InvariantCulture, $"Showing the first {steps.Stamps.Count} of {steps.Height * steps.Width} input pixels.")
            : null;
        string legend = "orange: the input pixel and its stamp · blue: darker where more stamps have landed (numbers: the running sums)"
            + (steps.Padding == (0, 0) ? "" : " · dashed: cropped by the padding");
        return AnimationHtml.Render(title, html.ToString(), frames, legend, note, cell);
    }

    private static string Caption(StampSteps steps, Stamp stamp)
    {
        int top = stamp.Row * steps.Stride.H - steps.Padding.H, left = stamp.Column * steps.Stride.W - steps.Padding.W;
        var counts = stamp.Cells.Where(rc => !steps.IsCropped(rc.Row, rc.Column))
            .Select(rc => stamp.Counts[rc.Row, rc.Column]).Distinct().Order();
        return string.Create(CultureInfo.InvariantCulture,
            $"input [{stamp.Row}, {stamp.Column}] = {AnimationHtml.Number(stamp.Value)} adds {AnimationHtml.Number(stamp.Value)} × kernel at output rows {top} to {top + steps.KernelHeight - 1}, columns {left} to {left + steps.KernelWidth - 1}")
            + "\nstamps so far on the cells it touches: " + string.Join(", ", counts);
    }

    /// <summary>The frames' data: per input pixel the output cells its stamp covers, and the running sums and stamp counts after it.</summary>
    internal static StampSteps Steps(Tensor input, Tensor weight, (int H, int W) stride, (int H, int W) padding, (int H, int W) outputPadding)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        int h = ConvAnimation.Plane(input, nameof(input), "(H, W), (1, H, W) or (1, 1, H, W)", out int w);
        int kh = ConvAnimation.Plane(weight, nameof(weight), "(kH, kW) or (1, 1, kH, kW)", out int kw, allowThree: false);
        int oh = ConvShape.TransposedOutput(h, kh, padding.H, stride.H, outputPadding.H);
        int ow = ConvShape.TransposedOutput(w, kw, padding.W, stride.W, outputPadding.W);
        // The stamps cover (h − 1)·s + k rows; the output is the rows from padding on, and an output padding larger than
        // the padding reaches past the stamps.
        int fh = Math.Max((h - 1) * stride.H + kh, padding.H + oh), fw = Math.Max((w - 1) * stride.W + kw, padding.W + ow);
        float[] x = input.ToArray(), k = weight.ToArray();
        var stamps = new List<Stamp>();
        bool drawn = (long)fh * fw <= MaxCells;
        var sums = new double[drawn ? fh : 0, drawn ? fw : 0];
        var counts = new int[drawn ? fh : 0, drawn ? fw : 0];
        for (int r = 0; r < h && drawn && stamps.Count < MaxFrames; r++)
        {
            for (int c = 0; c < w && stamps.Count < MaxFrames; c++)
            {
                var cells = new List<(int Row, int Column)>();
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        int orow = r * stride.H + i, ocol = c * stride.W + j;
                        sums[orow, ocol] += (double)x[r * w + c] * k[i * kw + j];
                        counts[orow, ocol]++;
                        cells.Add((orow, ocol));
                    }
                }
                stamps.Add(new Stamp(r, c, x[r * w + c], [.. cells], (double[,])sums.Clone(), (int[,])counts.Clone()));
            }
        }
        return new StampSteps(h, w, kh, kw, stride, padding, outputPadding, oh, ow, fh, fw, x, k, stamps, counts);
    }
}

/// <summary>One input pixel's stamp: the cells of the uncropped output it covers, and the running sums and stamp
/// counts of every cell after it.</summary>
internal sealed record Stamp(int Row, int Column, float Value, (int Row, int Column)[] Cells, double[,] Sums, int[,] Counts);

/// <summary>A transposed convolution's geometry and its stamps, for <see cref="TransposedAnimation"/>. The uncropped
/// output is <see cref="FullHeight"/> × <see cref="FullWidth"/>; the output proper starts at (padding.H, padding.W).</summary>
internal sealed record StampSteps(int Height, int Width, int KernelHeight, int KernelWidth, (int H, int W) Stride,
    (int H, int W) Padding, (int H, int W) OutputPadding, int OutHeight, int OutWidth, int FullHeight, int FullWidth,
    float[] Input, float[] Kernel, IReadOnlyList<Stamp> Stamps, int[,] FinalCounts)
{
    public bool IsCropped(int r, int c) =>
        r < Padding.H || r >= Padding.H + OutHeight || c < Padding.W || c >= Padding.W + OutWidth;
}
