using System.Globalization;
using System.Text;

namespace Conv.Notebook.Display;

/// <summary>
/// A step-through animation of a small 2-D convolution, one frame per output position: the padded input with the
/// padding dashed and the window's taps highlighted (dilated taps apart), the output with the cell being computed,
/// and the sum of products with the actual numbers. Input rows and columns that no window reads stay marked
/// throughout. A slider goes to any output and a play button runs through them; no network is needed.
/// </summary>
/// <example><code>ConvAnimation.Render(x, kernel, padding: (0, 1), stride: (3, 4)) // D2L 7.3, exercise 1</code></example>
public static class ConvAnimation
{
    /// <summary>The most output positions animated; a larger call shows its first ones and says so.</summary>
    public const int MaxFrames = 400;

    /// <summary>The most cells of the padded input drawn; a larger call is not drawn, and the picture says why.</summary>
    public const int MaxCells = 1600;

    /// <summary>The most kernel taps whose products the caption writes out one by one.</summary>
    private const int MaxTermsWritten = 25;

    /// <summary>
    /// The animation of <c>Convolution.Conv2d(input, weight, stride: stride, padding: padding, dilation: dilation)</c>
    /// for one channel in and out.
    /// </summary>
    /// <param name="input">Shape (H, W), (1, H, W) or (1, 1, H, W).</param>
    /// <param name="weight">Shape (kH, kW) or (1, 1, kH, kW).</param>
    /// <param name="stride">The step between windows (height, width); null means (1, 1).</param>
    /// <param name="padding">Zero rows and columns on each side (height, width); null means (0, 0).</param>
    /// <param name="dilation">The spacing between taps (height, width); null means (1, 1).</param>
    /// <exception cref="ArgumentException">A shape has more than one channel, or the kernel does not fit.</exception>
    /// <example><code>ConvAnimation.Render(Tensor.Randn(0, 8, 8), Tensor.Randn(1, 3, 5), stride: (3, 4), padding: (0, 1))</code></example>
    public static HtmlView Render(Tensor input, Tensor weight, (int H, int W)? stride = null, (int H, int W)? padding = null,
        (int H, int W)? dilation = null)
    {
        ConvSteps steps = Steps(input, weight, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1));
        var (s, p, d) = (steps.Stride, steps.Padding, steps.Dilation);
        string title = string.Create(CultureInfo.InvariantCulture,
            $"Conv2d: input {steps.Height} × {steps.Width}, kernel {steps.KernelHeight} × {steps.KernelWidth}, padding ({p.H}, {p.W}), stride ({s.H}, {s.W})")
            + (d == (1, 1) ? "" : string.Create(CultureInfo.InvariantCulture, $", dilation ({d.H}, {d.W})"))
            + string.Create(CultureInfo.InvariantCulture, $" → output {steps.OutHeight} × {steps.OutWidth}");
        return new HtmlView(Html(steps, title, "padded input", "output", padCells: null));
    }

    /// <summary>The animation's HTML for <paramref name="steps"/>; <paramref name="padCells"/> marks, when given, the
    /// cells of an input padded beforehand that are padding rather than input (drawn dashed, without index labels).</summary>
    internal static string Html(ConvSteps steps, string title, string inputName, string outputName, bool[,]? padCells)
    {
        int ph = steps.PaddedHeight, pw = steps.PaddedWidth;
        if ((long)ph * pw > MaxCells)
        {
            string note = string.Create(CultureInfo.InvariantCulture,
                $"Not drawn: the padded input has {ph} × {pw} = {(long)ph * pw} cells, more than {MaxCells}. Animate a smaller input.");
            return AnimationHtml.Render(title, "", [], "", note);
        }
        bool values = AnimationHtml.ShowsValues(ph, pw);
        int cell = values ? 34 : 16;
        int outBase = ph * pw;
        var html = new StringBuilder();

        html.Append("<div><div class=\"cn-a-head\">").Append(AnimationHtml.Escape(
            string.Create(CultureInfo.InvariantCulture, $"{inputName} {ph} × {pw}"))).Append("</div><table>");
        html.Append("<tr><td class=\"lbl\"></td>");
        for (int c = 0; c < pw; c++)
        {
            int ic = c - steps.Padding.W;
            html.Append("<td class=\"lbl\">").Append(padCells is null && ic >= 0 && ic < steps.Width ? ic.ToString(CultureInfo.InvariantCulture) : "").Append("</td>");
        }
        html.Append("</tr>");
        for (int r = 0; r < ph; r++)
        {
            int ir = r - steps.Padding.H;
            html.Append("<tr><td class=\"lbl\">")
                .Append(padCells is null && ir >= 0 && ir < steps.Height ? ir.ToString(CultureInfo.InvariantCulture) : "").Append("</td>");
            for (int c = 0; c < pw; c++)
            {
                bool pad = padCells is null ? steps.IsPadding(r, c) : padCells[r, c];
                float v = steps.Padded[r, c];
                string cls = pad ? "pad" : steps.NeverRead(r, c) ? "never" : v == 0 ? "zero" : "";
                string text = values ? AnimationHtml.Number(v) : "";
                AnimationHtml.Cell(html, r * pw + c, cls, text, title: pad ? "padding" : steps.NeverRead(r, c) ? "input never read" : "input");
            }
            html.Append("</tr>");
        }
        html.Append("</table></div>");

        html.Append("<div><div class=\"cn-a-head\">").Append(AnimationHtml.Escape(
            string.Create(CultureInfo.InvariantCulture, $"{outputName} {steps.OutHeight} × {steps.OutWidth}"))).Append("</div><table>");
        for (int r = 0; r < steps.OutHeight; r++)
        {
            html.Append("<tr>");
            for (int c = 0; c < steps.OutWidth; c++)
            {
                int frame = r * steps.OutWidth + c;
                AnimationHtml.Cell(html, outBase + frame, "out", "", frame < steps.Stops.Count ? frame : null);
            }
            html.Append("</tr>");
        }
        html.Append("</table></div>");

        var frames = new List<AnimationFrame>(steps.Stops.Count);
        foreach (ConvStop stop in steps.Stops)
        {
            var show = new List<CellStep>();
            var (top, left) = stop.Taps[0];
            var (bottom, right) = stop.Taps[^1];
            var taps = new HashSet<(int, int)>(stop.Taps);
            for (int r = top; r <= bottom; r++)
            {
                for (int c = left; c <= right; c++)
                {
                    if (!taps.Contains((r, c))) show.Add(new CellStep(r * pw + c, "span"));
                }
            }
            foreach (var (r, c) in stop.Taps) show.Add(new CellStep(r * pw + c, "tap"));
            int outCell = outBase + stop.Row * steps.OutWidth + stop.Column;
            string result = AnimationHtml.Number(stop.Sum);
            show.Add(new CellStep(outCell, "cur", values ? result : null));
            frames.Add(new AnimationFrame(Caption(steps, stop, values), show,
                [new CellStep(outCell, "done", values ? result : null)]));
        }

        string? capNote = steps.Stops.Count < steps.OutHeight * steps.OutWidth
            ? string.Create(CultureInfo.InvariantCulture,
                $"Showing the first {steps.Stops.Count} of {steps.OutHeight * steps.OutWidth} output positions.")
            : null;
        string legend = "dark: the window's taps"
            + (steps.Dilation == (1, 1) ? "" : " · light: inside the window, skipped by the dilation")
            + (padCells is null ? " · dashed: padding (zeros)" : " · dashed: inserted zeros and padding")
            + (steps.AnyNeverRead ? " · red: input no window reads" : "") + " · orange: the output being computed";
        return AnimationHtml.Render(title, html.ToString(), frames, legend, capNote, cell);
    }

    private static string Caption(ConvSteps steps, ConvStop stop, bool values)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"output [{stop.Row}, {stop.Column}] = sum of {stop.Taps.Length} products input × weight");
        // In the input's indices, as the grid's labels: padding lies at -1 and below, or past the last.
        var (row, column) = (stop.Taps[0].Row - steps.Padding.H, stop.Taps[0].Column - steps.Padding.W);
        text.Append(CultureInfo.InvariantCulture, $", the window from row {row}, column {column}");
        if (values && stop.Taps.Length <= MaxTermsWritten)
        {
            text.Append('\n').Append("= ");
            for (int t = 0; t < stop.Taps.Length; t++)
            {
                if (t > 0) text.Append(t % steps.KernelWidth == 0 ? "\n+ " : " + ");
                text.Append(Signed(stop.Inputs[t])).Append('·').Append(Signed(stop.Weights[t]));
            }
        }
        text.Append('\n').Append("= ").Append(AnimationHtml.Number(stop.Sum).Replace('-', '−'));
        return text.ToString();
    }

    private static string Signed(float value)
    {
        string text = AnimationHtml.Number(value);
        return text.StartsWith('-') ? "(−" + text[1..] + ")" : text;
    }

    /// <summary>The frames' data: the geometry from <see cref="ConvShape"/> and <see cref="ConvWindows"/>, and per
    /// output position its taps on the padded input, their values and products.</summary>
    internal static ConvSteps Steps(Tensor input, Tensor weight, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        int h = Plane(input, nameof(input), "(H, W), (1, H, W) or (1, 1, H, W)", out int w);
        int kh = Plane(weight, nameof(weight), "(kH, kW) or (1, 1, kH, kW)", out int kw, allowThree: false);
        int oh = ConvShape.Output(h, kh, padding.H, stride.H, dilation.H);
        int ow = ConvShape.Output(w, kw, padding.W, stride.W, dilation.W);
        float[] x = input.ToArray(), k = weight.ToArray();
        int ph = h + 2 * padding.H, pw = w + 2 * padding.W;
        var padded = new float[ph, pw];
        if ((long)ph * pw <= MaxCells)
        {
            for (int r = 0; r < h; r++)
            {
                for (int c = 0; c < w; c++) padded[r + padding.H, c + padding.W] = x[r * w + c];
            }
        }
        int[] rowCoverage = ConvWindows.Coverage(h, kh, padding.H, stride.H, dilation.H);
        int[] columnCoverage = ConvWindows.Coverage(w, kw, padding.W, stride.W, dilation.W);
        var stops = new List<ConvStop>();
        for (int i = 0; i < oh && stops.Count < MaxFrames && (long)ph * pw <= MaxCells; i++)
        {
            for (int j = 0; j < ow && stops.Count < MaxFrames; j++)
            {
                var taps = new (int Row, int Column)[kh * kw];
                var inputs = new float[kh * kw];
                double sum = 0;
                for (int a = 0; a < kh; a++)
                {
                    for (int b = 0; b < kw; b++)
                    {
                        int r = i * stride.H + a * dilation.H, c = j * stride.W + b * dilation.W;
                        taps[a * kw + b] = (r, c);
                        inputs[a * kw + b] = padded[r, c];
                        sum += (double)padded[r, c] * k[a * kw + b];
                    }
                }
                stops.Add(new ConvStop(i, j, taps, inputs, k, sum));
            }
        }
        return new ConvSteps(h, w, kh, kw, stride, padding, dilation, oh, ow, padded, rowCoverage, columnCoverage, stops);
    }

    /// <summary>The height of a one-channel 2-D tensor, and its width in <paramref name="width"/>.</summary>
    internal static int Plane(Tensor t, string name, string shapes, out int width, bool allowThree = true)
    {
        int[] shape = t.Shape;
        bool ok = shape.Length == 2 || (allowThree && shape.Length == 3 && shape[0] == 1) || (shape.Length == 4 && shape[0] == 1 && shape[1] == 1);
        if (!ok)
        {
            throw new ArgumentException($"The {name} must have shape {shapes}, one channel, but its shape is {Tensor.ShapeText(shape)}.", name);
        }
        width = shape[^1];
        return shape[^2];
    }
}

/// <summary>One output position of a convolution: its taps on the padded input (row-major over the kernel), the
/// values there (zero on padding), the kernel's values and the sum of their products.</summary>
internal sealed record ConvStop(int Row, int Column, (int Row, int Column)[] Taps, float[] Inputs, float[] Weights, double Sum);

/// <summary>A convolution's geometry and its stops, for <see cref="ConvAnimation"/>.</summary>
internal sealed record ConvSteps(int Height, int Width, int KernelHeight, int KernelWidth, (int H, int W) Stride,
    (int H, int W) Padding, (int H, int W) Dilation, int OutHeight, int OutWidth, float[,] Padded, int[] RowCoverage,
    int[] ColumnCoverage, IReadOnlyList<ConvStop> Stops)
{
    public int PaddedHeight => Height + 2 * Padding.H;
    public int PaddedWidth => Width + 2 * Padding.W;

    public bool IsPadding(int r, int c) =>
        r < Padding.H || r >= Padding.H + Height || c < Padding.W || c >= Padding.W + Width;

    /// <summary>Whether padded cell (r, c) is input that no window reads: its row or its column is never read.</summary>
    public bool NeverRead(int r, int c) => !IsPadding(r, c) && (RowCoverage[r] == 0 || ColumnCoverage[c] == 0);

    public bool AnyNeverRead =>
        Enumerable.Range(Padding.H, Height).Any(r => RowCoverage[r] == 0) ||
        Enumerable.Range(Padding.W, Width).Any(c => ColumnCoverage[c] == 0);
}
