using Conv.Notebook.Display;
using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// The frames of <see cref="ConvAnimation"/>, <see cref="TransposedAnimation"/> and <see cref="MirrorPaddingMap"/>
/// against the operations they picture: each convolution frame's window and sum against <see cref="Convolution.Conv2d"/>,
/// the stamps' running sums against <see cref="Convolution.ConvTranspose2d"/>, the mirror map against <see cref="Padding.Pad"/>.
/// </summary>
public sealed class AnimationFrameTests
{
    public sealed record ConvCase(int H, int W, int KH, int KW, int PH, int PW, int SH, int SW, int DH, int DW, int Seed);

    private static readonly Gen<ConvCase> ConvCases =
        from h in Gen.Int[1, 9]
        from w in Gen.Int[1, 9]
        from kh in Gen.Int[1, 4]
        from kw in Gen.Int[1, 5]
        from ph in Gen.Int[0, 2]
        from pw in Gen.Int[0, 2]
        from sh in Gen.Int[1, 4]
        from sw in Gen.Int[1, 4]
        from dh in Gen.Int[1, 2]
        from dw in Gen.Int[1, 2]
        from seed in Gen.Int
        where dh * (kh - 1) + 1 <= h + 2 * ph && dw * (kw - 1) + 1 <= w + 2 * pw
        select new ConvCase(h, w, kh, kw, ph, pw, sh, sw, dh, dw, seed);

    [Fact]
    public void Each_frame_is_the_window_and_the_sum_that_Conv2d_computes_at_its_output()
    {
        ConvCases.Sample(c =>
        {
            Tensor x = Tensor.Randn(c.Seed, 1, 1, c.H, c.W), k = Tensor.Randn(c.Seed + 1, 1, 1, c.KH, c.KW);
            Tensor y = Convolution.Conv2d(x, k, stride: (c.SH, c.SW), padding: (c.PH, c.PW), dilation: (c.DH, c.DW));
            ConvSteps steps = ConvAnimation.Steps(x, k, (c.SH, c.SW), (c.PH, c.PW), (c.DH, c.DW));
            Assert.Equal((y.Size(2), y.Size(3)), (steps.OutHeight, steps.OutWidth));
            Assert.Equal(y.Size(2) * y.Size(3), steps.Stops.Count);
            foreach (ConvStop stop in steps.Stops)
            {
                Assert.Equal(y[0, 0, stop.Row, stop.Column], stop.Sum, 1e-4);
                for (int a = 0; a < c.KH; a++)
                {
                    for (int b = 0; b < c.KW; b++)
                    {
                        var (r, col) = stop.Taps[a * c.KW + b];
                        Assert.Equal((stop.Row * c.SH + a * c.DH, stop.Column * c.SW + b * c.DW), (r, col));
                        int ir = r - c.PH, ic = col - c.PW;
                        bool pad = ir < 0 || ir >= c.H || ic < 0 || ic >= c.W;
                        Assert.Equal(pad, steps.IsPadding(r, col));
                        Assert.Equal(pad ? 0f : x[0, 0, ir, ic], stop.Inputs[a * c.KW + b]);
                        Assert.Equal(k[0, 0, a, b], stop.Weights[a * c.KW + b]);
                    }
                }
            }
        }, iter: 400);
    }

    [Fact]
    public void The_cells_marked_never_read_are_exactly_the_input_no_window_taps()
    {
        ConvCases.Sample(c =>
        {
            ConvSteps steps = ConvAnimation.Steps(Tensor.Zeros(c.H, c.W), Tensor.Zeros(c.KH, c.KW),
                (c.SH, c.SW), (c.PH, c.PW), (c.DH, c.DW));
            var read = steps.Stops.SelectMany(s => s.Taps).ToHashSet();
            for (int r = 0; r < steps.PaddedHeight; r++)
            {
                for (int col = 0; col < steps.PaddedWidth; col++)
                {
                    Assert.Equal(!steps.IsPadding(r, col) && !read.Contains((r, col)), steps.NeverRead(r, col));
                }
            }
            int[] rows = ConvWindows.Untouched(c.H, c.KH, c.PH, c.SH, c.DH);
            Assert.Equal(rows, Enumerable.Range(0, c.H).Where(r => read.All(t => t.Row != r + c.PH)).ToArray());
        }, iter: 400);
    }

    [Fact]
    public void Exercise_1_leaves_input_rows_6_and_7_unread_and_shows_its_products()
    {
        Tensor x = Tensor.Randn(0, 1, 1, 8, 8), k = Tensor.Randn(1, 1, 1, 3, 5);
        ConvSteps steps = ConvAnimation.Steps(x, k, (3, 4), (0, 1), (1, 1));
        Assert.Equal(4, steps.Stops.Count);
        Assert.All(Enumerable.Range(0, 8), c => Assert.True(steps.NeverRead(6, c + 1) && steps.NeverRead(7, c + 1)));
        Assert.All(Enumerable.Range(0, 6), r => Assert.False(steps.NeverRead(r, 1)));
        string html = ConvAnimation.Render(x, k, stride: (3, 4), padding: (0, 1)).Html;
        Assert.Equal(8 * 8 - 2 * 8, CountOf(html, "class=\"\"") + CountOf(html, "class=\"zero\""));
        Assert.Equal(2 * 8, CountOf(html, "class=\"never\""));
        Assert.Equal(2 * 8, CountOf(html, "class=\"pad\""));
        // The caption writes out all 15 products of the first window, input × weight.
        string first = string.Join(" + ", Enumerable.Range(0, 15).Select(t =>
            Signed(steps.Stops[0].Inputs[t]) + "·" + Signed(steps.Stops[0].Weights[t])));
        Assert.Equal(first.Replace("\n", ""), Captions(html)[0].Split('\n').Skip(1).SkipLast(1)
            .Select(line => line[2..]).Aggregate((a, b) => a + " + " + b));
    }

    [Fact]
    public void Large_calls_are_capped_and_say_so()
    {
        ConvSteps capped = ConvAnimation.Steps(Tensor.Zeros(30, 30), Tensor.Zeros(3, 3), (1, 1), (0, 0), (1, 1));
        Assert.Equal(ConvAnimation.MaxFrames, capped.Stops.Count);
        string html = ConvAnimation.Render(Tensor.Zeros(30, 30), Tensor.Zeros(3, 3)).Html;
        Assert.Contains($"Showing the first {ConvAnimation.MaxFrames} of 784 output positions.", html);
        Assert.Equal(ConvAnimation.MaxFrames, Captions(html).Count);

        string huge = ConvAnimation.Render(Tensor.Zeros(200, 200), Tensor.Zeros(3, 3)).Html;
        Assert.Contains("Not drawn: the padded input has 200 × 200 = 40000 cells, more than 1600.", huge);
        Assert.DoesNotContain("<script", huge);
        Assert.True(huge.Length < 10_000);
        Assert.Contains("Not drawn", TransposedAnimation.Render(Tensor.Zeros(40, 40), Tensor.Zeros(2, 2),
            stride: (2, 2), zeroInsertion: false).Html);
    }

    public sealed record TransposedCase(int H, int W, int KH, int KW, int SH, int SW, int PH, int PW, int AH, int AW, int Seed);

    private static readonly Gen<TransposedCase> TransposedCases =
        from h in Gen.Int[1, 5]
        from w in Gen.Int[1, 5]
        from kh in Gen.Int[1, 4]
        from kw in Gen.Int[1, 4]
        from sh in Gen.Int[1, 3]
        from sw in Gen.Int[1, 3]
        from ph in Gen.Int[0, kh - 1]
        from pw in Gen.Int[0, kw - 1]
        from ah in Gen.Int[0, sh - 1]
        from aw in Gen.Int[0, sw - 1]
        from seed in Gen.Int
        where (h - 1) * sh - 2 * ph + kh + ah >= 1 && (w - 1) * sw - 2 * pw + kw + aw >= 1
        select new TransposedCase(h, w, kh, kw, sh, sw, ph, pw, ah, aw, seed);

    [Fact]
    public void The_stamps_running_sums_end_at_ConvTranspose2d_and_their_counts_at_Overlap()
    {
        TransposedCases.Sample(c =>
        {
            Tensor x = Tensor.Randn(c.Seed, 1, 1, c.H, c.W), k = Tensor.Randn(c.Seed + 1, 1, 1, c.KH, c.KW);
            var (s, p, a) = ((c.SH, c.SW), (c.PH, c.PW), (c.AH, c.AW));
            Tensor y = Convolution.ConvTranspose2d(x, k, stride: s, padding: p, outputPadding: a);
            StampSteps steps = TransposedAnimation.Steps(x, k, s, p, a);
            Assert.Equal(c.H * c.W, steps.Stamps.Count);
            Stamp last = steps.Stamps[^1];
            Tensor overlap = FractionalStride.Overlap((c.H, c.W), (c.KH, c.KW), s, p, a);
            for (int r = 0; r < y.Size(2); r++)
            {
                for (int col = 0; col < y.Size(3); col++)
                {
                    Assert.Equal(y[0, 0, r, col], last.Sums[r + c.PH, col + c.PW], 1e-4);
                    Assert.Equal(overlap[r, col], last.Counts[r + c.PH, col + c.PW]);
                    Assert.False(steps.IsCropped(r + c.PH, col + c.PW));
                }
            }
            // Each frame adds one pixel × kernel at stride spacing and nothing else.
            for (int f = 0; f < steps.Stamps.Count; f++)
            {
                Stamp stamp = steps.Stamps[f];
                Assert.Equal((f / c.W, f % c.W), (stamp.Row, stamp.Column));
                Assert.Equal((stamp.Row * c.SH, stamp.Column * c.SW), stamp.Cells[0]);
                for (int t = 0; t < stamp.Cells.Length; t++)
                {
                    var (r, col) = stamp.Cells[t];
                    double before = f == 0 ? 0 : steps.Stamps[f - 1].Sums[r, col];
                    Assert.Equal(before + (double)stamp.Value * k.ToArray()[t], stamp.Sums[r, col], 1e-9);
                }
            }
            // The zero-insertion view reaches the same output.
            var (grid, _) = TransposedAnimation.ZeroInserted(steps);
            Tensor flipped = new([c.KH, c.KW], k.ToArray().Reverse().ToArray());
            ConvSteps conv = ConvAnimation.Steps(grid, flipped, (1, 1), (0, 0), (1, 1));
            Assert.Equal(y.Size(2) * y.Size(3), conv.Stops.Count);
            Assert.All(conv.Stops, stop => Assert.Equal(y[0, 0, stop.Row, stop.Column], stop.Sum, 1e-4));
        }, iter: 300);
    }

    [Fact]
    public void The_checkerboard_of_a_3_by_3_kernel_at_stride_2_has_1_2_and_4_stamps()
    {
        StampSteps steps = TransposedAnimation.Steps(Tensor.Full([4, 4], 1f), Tensor.Full([3, 3], 1f), (2, 2), (1, 1), (1, 1));
        var inside = from r in Enumerable.Range(1, 8) from c in Enumerable.Range(1, 8) select steps.Stamps[^1].Counts[r, c];
        Assert.Equal(new[] { 1, 2, 4 }, inside.Distinct().Order().ToArray());
    }

    [Fact]
    public void The_mirror_map_shows_the_input_cell_each_padded_cell_copies()
    {
        var gen = from h in Gen.Int[2, 7] from w in Gen.Int[2, 7] from pad in Gen.Int[1, 6] from seed in Gen.Int
                  where pad < Math.Min(h, w)
                  select (h, w, pad, seed);
        gen.Sample(c =>
        {
            Tensor x = Tensor.Randn(c.seed, c.h, c.w);
            MirrorSteps steps = MirrorPaddingMap.Steps(x, c.pad);
            int pw = c.w + 2 * c.pad;
            Assert.Equal((c.h + 2 * c.pad) * pw - c.h * c.w, steps.Cells.Count);
            Assert.Equal(Padding.Pad(x, [c.pad, c.pad, c.pad, c.pad], PaddingMode.Reflect).ToArray(), steps.Reflect);
            int[] reflectRows = Padding.SourceIndices(c.h, c.pad, c.pad, PaddingMode.Reflect);
            int[] symmetricColumns = Padding.SourceIndices(c.w, c.pad, c.pad, PaddingMode.Symmetric);
            foreach (MirrorCell cell in steps.Cells)
            {
                Assert.Equal(steps.Reflect[cell.Row * pw + cell.Column], x[cell.Reflect.Row, cell.Reflect.Column]);
                Assert.Equal(steps.Symmetric[cell.Row * pw + cell.Column], x[cell.Symmetric.Row, cell.Symmetric.Column]);
                Assert.Equal(reflectRows[cell.Row], cell.Reflect.Row);
                Assert.Equal(symmetricColumns[cell.Column], cell.Symmetric.Column);
            }
        }, iter: 300);
    }

    [Fact]
    public void Reflect_skips_the_edge_and_symmetric_repeats_it()
    {
        MirrorSteps steps = MirrorPaddingMap.Steps(Tensor.Arange(16).Reshape(4, 4), 2);
        MirrorCell left = steps.Cells.Single(c => c.Row == 3 && c.Column == 1);   // input row 1, column −1
        Assert.Equal((1, 1), left.Reflect);
        Assert.Equal((1, 0), left.Symmetric);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_parameter_named()
    {
        Assert.Equal("input", Assert.Throws<ArgumentException>(
            () => ConvAnimation.Render(Tensor.Zeros(1, 2, 5, 5), Tensor.Zeros(1, 1, 3, 3))).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(
            () => ConvAnimation.Render(Tensor.Zeros(5, 5), Tensor.Zeros(2, 1, 3, 3))).ParamName);
        Assert.Equal("padding", Assert.Throws<ArgumentException>(
            () => TransposedAnimation.Render(Tensor.Zeros(3, 3), Tensor.Zeros(2, 2), stride: (2, 2), padding: (2, 2))).ParamName);
        Assert.Equal("padding", Assert.Throws<ArgumentOutOfRangeException>(
            () => MirrorPaddingMap.Render(Tensor.Zeros(3, 3), 3)).ParamName);
    }

    [Fact]
    public void Two_animations_have_different_ids_and_script_text_cannot_end_the_script()
    {
        Tensor x = Tensor.Zeros(4, 4), k = Tensor.Zeros(2, 2);
        string first = ConvAnimation.Render(x, k).Html, second = ConvAnimation.Render(x, k).Html;
        Assert.NotEqual(Id(first), Id(second));
        string json = AnimationHtml.FramesJson([new AnimationFrame("</script><b>", [new CellStep(0, "x", "<!--")])]);
        Assert.DoesNotContain("<", json);
        using var parsed = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("</script><b>", parsed.RootElement[0].GetProperty("c").GetString());
    }

    private static string Id(string html) => html[(html.IndexOf("id=\"", StringComparison.Ordinal) + 4)..][..20];

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static string Signed(float value)
    {
        string text = AnimationHtml.Number(value);
        return text.StartsWith('-') ? "(−" + text[1..] + ")" : text;
    }

    /// <summary>The frames' captions, read back from the JSON in the page.</summary>
    private static List<string> Captions(string html)
    {
        int start = html.IndexOf("var frames = ", StringComparison.Ordinal) + "var frames = ".Length;
        int end = html.IndexOf(";\n", start, StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(html[start..end]);
        return doc.RootElement.EnumerateArray().Select(f => f.GetProperty("c").GetString()!).ToList();
    }
}
