using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// Property tests over random valid parameters: convolution against a plain nested-loop reference,
/// the output-size formulas against the produced shapes, striding as subsampling, the adjointness of
/// convolution and transposed convolution, and padding's round trip and border values.
/// </summary>
public sealed class ConvolutionPropertyTests
{
    private const long Iterations = 1000;
    private const double AbsoluteTolerance = 1e-4;
    private const double RelativeTolerance = 1e-4;

    /// <summary>One spatial dimension of a convolution call.</summary>
    public sealed record Axis(int Size, int Kernel, int Stride, int Padding, int Dilation)
    {
        public int Extent => Dilation * (Kernel - 1) + 1;

        /// <summary>The remainder that the stride drops: the output padding that maps the output back to <see cref="Size"/>.</summary>
        public int Remainder => (Size + 2 * Padding - Extent) % Stride;

        /// <summary>The axis of a 1-D call seen as a 2-D call of height 1.</summary>
        public static Axis Unit { get; } = new(1, 1, 1, 0, 1);
    }

    /// <summary>A convolution call: batch, groups, channels per group, both axes, padding mode, bias and data seed.</summary>
    public sealed record ConvCase(
        bool Batched, int Batch, int Groups, int InPerGroup, int OutPerGroup,
        Axis H, Axis W, PaddingMode Mode, bool WithBias, int Seed)
    {
        public int InChannels => Groups * InPerGroup;
        public int OutChannels => Groups * OutPerGroup;
        public int N => Batched ? Batch : 1;
        public (int H, int W) Stride => (H.Stride, W.Stride);
        public (int H, int W) Padding => (H.Padding, W.Padding);
        public (int H, int W) Dilation => (H.Dilation, W.Dilation);

        public int[] Input2d() => Batched ? [Batch, InChannels, H.Size, W.Size] : [InChannels, H.Size, W.Size];
        public int[] Input1d() => Batched ? [Batch, InChannels, W.Size] : [InChannels, W.Size];
        public int[] Weight2d() => [OutChannels, InPerGroup, H.Kernel, W.Kernel];
        public int[] Weight1d() => [OutChannels, InPerGroup, W.Kernel];
    }

    /// <summary>A transposed convolution call; the weight is (in channels, out channels / groups, kernel…).</summary>
    public sealed record TransposedAxis(int Size, int Kernel, int Stride, int Padding, int OutputPadding, int Dilation);

    public sealed record TransposedCase(
        bool Batched, int Batch, int Groups, int InPerGroup, int OutPerGroup,
        TransposedAxis H, TransposedAxis W, bool WithBias, int Seed)
    {
        public int InChannels => Groups * InPerGroup;
        public int OutChannels => Groups * OutPerGroup;
        public int N => Batched ? Batch : 1;
        public int[] Input2d() => Batched ? [Batch, InChannels, H.Size, W.Size] : [InChannels, H.Size, W.Size];
        public int[] Input1d() => Batched ? [Batch, InChannels, W.Size] : [InChannels, W.Size];
        public int[] Weight2d() => [InChannels, OutPerGroup, H.Kernel, W.Kernel];
        public int[] Weight1d() => [InChannels, OutPerGroup, W.Kernel];
    }

    public sealed record PadCase(int[] Shape, int[] Pads, PaddingMode Mode, float Value, int Seed)
    {
        public override string ToString() =>
            $"PadCase {{ Shape = {Tensor.ShapeText(Shape)}, Pads = [{string.Join(", ", Pads)}], Mode = {Mode}, Value = {Value}, Seed = {Seed} }}";
    }

    // ---------------------------------------------------------------- generators

    /// <summary>The largest padding (at most 3) that <paramref name="mode"/> allows on a dimension of <paramref name="size"/>.</summary>
    private static int MaxPad(PaddingMode mode, int size) => mode switch
    {
        PaddingMode.Reflect => Math.Min(3, size - 1),
        PaddingMode.Circular or PaddingMode.Symmetric => Math.Min(3, size),
        _ => 3,
    };

    /// <summary>A valid axis: the padding is allowed by the mode and the dilated kernel fits the padded input.</summary>
    private static Gen<Axis> AxisGen(PaddingMode mode) =>
        from size in Gen.Int[1, 12]
        from padding in Gen.Int[0, MaxPad(mode, size)]
        from dilation in Gen.Int[1, 3]
        from kernel in Gen.Int[1, Math.Min(5, (size + 2 * padding - 1) / dilation + 1)]
        from stride in Gen.Int[1, 4]
        select new Axis(size, kernel, stride, padding, dilation);

    private static readonly Gen<PaddingMode> AnyMode = Gen.Enum<PaddingMode>();
    private static readonly Gen<PaddingMode> ZerosOnly = Gen.Const(PaddingMode.Zeros);

    private static Gen<ConvCase> ConvCaseGen(Gen<PaddingMode> modes, bool oneD) =>
        from mode in modes
        from batched in Gen.Bool
        from batch in Gen.Int[1, 2]
        from groups in Gen.Int[1, 3]
        from inPerGroup in Gen.Int[1, 2]
        from outPerGroup in Gen.Int[1, 2]
        from h in oneD ? Gen.Const(Axis.Unit) : AxisGen(mode)
        from w in AxisGen(mode)
        from withBias in Gen.Bool
        from seed in Gen.Int
        select new ConvCase(batched, batched ? batch : 1, groups, inPerGroup, outPerGroup, h, w, mode, withBias, seed);

    /// <summary>A valid transposed axis: output padding below max(stride, dilation), and padding that leaves at least one output.</summary>
    private static readonly Gen<TransposedAxis> TransposedAxisGen =
        from size in Gen.Int[1, 12]
        from kernel in Gen.Int[1, 5]
        from stride in Gen.Int[1, 4]
        from dilation in Gen.Int[1, 3]
        from outputPadding in Gen.Int[0, Math.Max(stride, dilation) - 1]
        from padding in Gen.Int[0, Math.Min(3, ((size - 1) * stride + dilation * (kernel - 1) + outputPadding) / 2)]
        select new TransposedAxis(size, kernel, stride, padding, outputPadding, dilation);

    private static readonly TransposedAxis TransposedUnit = new(1, 1, 1, 0, 0, 1);

    private static Gen<TransposedCase> TransposedCaseGen(bool oneD) =>
        from batched in Gen.Bool
        from batch in Gen.Int[1, 2]
        from groups in Gen.Int[1, 3]
        from inPerGroup in Gen.Int[1, 2]
        from outPerGroup in Gen.Int[1, 2]
        from h in oneD ? Gen.Const(TransposedUnit) : TransposedAxisGen
        from w in TransposedAxisGen
        from withBias in Gen.Bool
        from seed in Gen.Int
        select new TransposedCase(batched, batched ? batch : 1, groups, inPerGroup, outPerGroup, h, w, withBias, seed);

    private static Gen<PadCase> PadCaseGen(Gen<PaddingMode> modes) =>
        from mode in modes
        from rank in Gen.Int[1, 4]
        from shape in Gen.Int[1, 5].Array[rank]
        from pairs in Gen.Int[1, rank]
        from raw in Gen.Int[0, 3].Array[2 * pairs]
        from value in Gen.Float[-10f, 10f]
        from seed in Gen.Int
        select new PadCase(shape, ClampPads(raw, shape, mode), mode, value, seed);

    private static int[] ClampPads(int[] raw, int[] shape, PaddingMode mode)
    {
        var pads = new int[raw.Length];
        for (int p = 0; p < raw.Length; p++)
        {
            int size = shape[shape.Length - 1 - p / 2];
            pads[p] = Math.Min(raw[p], MaxPad(mode, size));
        }
        return pads;
    }

    // ---------------------------------------------------------------- convolution against the reference

    [Fact]
    public void Conv2d_EqualsNestedLoopReference()
    {
        ConvCaseGen(AnyMode, oneD: false).Sample(c =>
        {
            var rng = new Random(c.Seed);
            float[] x = RandomData(rng, Count(c.Input2d()));
            float[] w = RandomData(rng, Count(c.Weight2d()));
            float[]? b = c.WithBias ? RandomData(rng, c.OutChannels) : null;

            Tensor actual = Convolution.Conv2d(new Tensor(c.Input2d(), x), new Tensor(c.Weight2d(), w),
                b is null ? null : new Tensor([c.OutChannels], b), c.Stride, c.Padding, c.Dilation, c.Groups, c.Mode);

            double[] expected = ReferenceForMode(c, x, w, b, oneD: false, out int outH, out int outW);
            int[] expectedShape = c.Batched ? [c.N, c.OutChannels, outH, outW] : [c.OutChannels, outH, outW];
            Assert.Equal(expectedShape, actual.Shape);
            AssertClose(expected, actual.ToArray(), c.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void Conv1d_EqualsNestedLoopReferenceOnHeightOne()
    {
        ConvCaseGen(AnyMode, oneD: true).Sample(c =>
        {
            var rng = new Random(c.Seed);
            float[] x = RandomData(rng, Count(c.Input1d()));
            float[] w = RandomData(rng, Count(c.Weight1d()));
            float[]? b = c.WithBias ? RandomData(rng, c.OutChannels) : null;

            Tensor actual = Convolution.Conv1d(new Tensor(c.Input1d(), x), new Tensor(c.Weight1d(), w),
                b is null ? null : new Tensor([c.OutChannels], b), c.W.Stride, c.W.Padding, c.W.Dilation, c.Groups, c.Mode);

            double[] expected = ReferenceForMode(c, x, w, b, oneD: true, out int outH, out int outW);
            Assert.Equal(1, outH);
            int[] expectedShape = c.Batched ? [c.N, c.OutChannels, outW] : [c.OutChannels, outW];
            Assert.Equal(expectedShape, actual.Shape);
            AssertClose(expected, actual.ToArray(), c.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void ConvTranspose2d_EqualsScatterReference()
    {
        TransposedCaseGen(oneD: false).Sample(c =>
        {
            var rng = new Random(c.Seed);
            float[] x = RandomData(rng, Count(c.Input2d()));
            float[] w = RandomData(rng, Count(c.Weight2d()));
            float[]? b = c.WithBias ? RandomData(rng, c.OutChannels) : null;

            Tensor actual = Convolution.ConvTranspose2d(new Tensor(c.Input2d(), x), new Tensor(c.Weight2d(), w),
                b is null ? null : new Tensor([c.OutChannels], b),
                (c.H.Stride, c.W.Stride), (c.H.Padding, c.W.Padding), (c.H.OutputPadding, c.W.OutputPadding),
                (c.H.Dilation, c.W.Dilation), c.Groups);

            double[] expected = ReferenceTransposed(c, x, w, b, out int outH, out int outW);
            int[] expectedShape = c.Batched ? [c.N, c.OutChannels, outH, outW] : [c.OutChannels, outH, outW];
            Assert.Equal(expectedShape, actual.Shape);
            AssertClose(expected, actual.ToArray(), c.ToString());
        }, iter: Iterations);
    }

    // ---------------------------------------------------------------- shapes

    [Fact]
    public void Conv2d_ShapeEqualsConvShapeOutput()
    {
        ConvCaseGen(AnyMode, oneD: false).Sample(c =>
        {
            Tensor y = Convolution.Conv2d(Tensor.Zeros(c.Input2d()), Tensor.Zeros(c.Weight2d()), null,
                c.Stride, c.Padding, c.Dilation, c.Groups, c.Mode);
            int outH = ConvShape.Output(c.H.Size, c.H.Kernel, c.H.Padding, c.H.Stride, c.H.Dilation);
            int outW = ConvShape.Output(c.W.Size, c.W.Kernel, c.W.Padding, c.W.Stride, c.W.Dilation);
            int[] expected = c.Batched ? [c.N, c.OutChannels, outH, outW] : [c.OutChannels, outH, outW];
            Assert.Equal(expected, y.Shape);
        }, iter: Iterations);
    }

    [Fact]
    public void Conv1d_ShapeEqualsConvShapeOutput()
    {
        ConvCaseGen(AnyMode, oneD: true).Sample(c =>
        {
            Tensor y = Convolution.Conv1d(Tensor.Zeros(c.Input1d()), Tensor.Zeros(c.Weight1d()), null,
                c.W.Stride, c.W.Padding, c.W.Dilation, c.Groups, c.Mode);
            int outW = ConvShape.Output(c.W.Size, c.W.Kernel, c.W.Padding, c.W.Stride, c.W.Dilation);
            int[] expected = c.Batched ? [c.N, c.OutChannels, outW] : [c.OutChannels, outW];
            Assert.Equal(expected, y.Shape);
        }, iter: Iterations);
    }

    [Fact]
    public void ConvTranspose2d_ShapeEqualsConvShapeTransposedOutput()
    {
        TransposedCaseGen(oneD: false).Sample(c =>
        {
            Tensor y = Convolution.ConvTranspose2d(Tensor.Zeros(c.Input2d()), Tensor.Zeros(c.Weight2d()), null,
                (c.H.Stride, c.W.Stride), (c.H.Padding, c.W.Padding), (c.H.OutputPadding, c.W.OutputPadding),
                (c.H.Dilation, c.W.Dilation), c.Groups);
            int outH = ConvShape.TransposedOutput(c.H.Size, c.H.Kernel, c.H.Padding, c.H.Stride, c.H.OutputPadding, c.H.Dilation);
            int outW = ConvShape.TransposedOutput(c.W.Size, c.W.Kernel, c.W.Padding, c.W.Stride, c.W.OutputPadding, c.W.Dilation);
            int[] expected = c.Batched ? [c.N, c.OutChannels, outH, outW] : [c.OutChannels, outH, outW];
            Assert.Equal(expected, y.Shape);
        }, iter: Iterations);
    }

    [Fact]
    public void ConvTranspose1d_ShapeEqualsConvShapeTransposedOutput()
    {
        TransposedCaseGen(oneD: true).Sample(c =>
        {
            Tensor y = Convolution.ConvTranspose1d(Tensor.Zeros(c.Input1d()), Tensor.Zeros(c.Weight1d()), null,
                c.W.Stride, c.W.Padding, c.W.OutputPadding, c.W.Dilation, c.Groups);
            int outW = ConvShape.TransposedOutput(c.W.Size, c.W.Kernel, c.W.Padding, c.W.Stride, c.W.OutputPadding, c.W.Dilation);
            int[] expected = c.Batched ? [c.N, c.OutChannels, outW] : [c.OutChannels, outW];
            Assert.Equal(expected, y.Shape);
        }, iter: Iterations);
    }

    [Fact]
    public void ConvShape_TransposedOutputInvertsOutputWithTheDroppedRemainder()
    {
        AxisGen(PaddingMode.Zeros).Sample(a =>
        {
            int output = ConvShape.Output(a.Size, a.Kernel, a.Padding, a.Stride, a.Dilation);
            int back = ConvShape.TransposedOutput(output, a.Kernel, a.Padding, a.Stride, a.Remainder, a.Dilation);
            Assert.Equal(a.Size, back);
        }, iter: Iterations);
    }

    // ---------------------------------------------------------------- stride as subsampling

    [Fact]
    public void Conv2d_StrideEqualsStrideOneSampledEveryStride()
    {
        ConvCaseGen(AnyMode, oneD: false).Sample(c =>
        {
            var rng = new Random(c.Seed);
            var x = new Tensor(c.Input2d(), RandomData(rng, Count(c.Input2d())));
            var w = new Tensor(c.Weight2d(), RandomData(rng, Count(c.Weight2d())));
            Tensor? b = c.WithBias ? new Tensor([c.OutChannels], RandomData(rng, c.OutChannels)) : null;

            Tensor full = Convolution.Conv2d(x, w, b, (1, 1), c.Padding, c.Dilation, c.Groups, c.Mode);
            Tensor strided = Convolution.Conv2d(x, w, b, c.Stride, c.Padding, c.Dilation, c.Groups, c.Mode);

            int fullH = full.Size(-2), fullW = full.Size(-1);
            int outH = strided.Size(-2), outW = strided.Size(-1);
            Assert.Equal((fullH - 1) / c.H.Stride + 1, outH);
            Assert.Equal((fullW - 1) / c.W.Stride + 1, outW);

            float[] f = full.ToArray(), s = strided.ToArray();
            int planes = c.N * c.OutChannels;
            var expected = new double[planes * outH * outW];
            for (int p = 0; p < planes; p++)
                for (int y = 0; y < outH; y++)
                    for (int xx = 0; xx < outW; xx++)
                        expected[(p * outH + y) * outW + xx] = f[(p * fullH + y * c.H.Stride) * fullW + xx * c.W.Stride];
            AssertClose(expected, s, c.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void Conv1d_StrideEqualsStrideOneSampledEveryStride()
    {
        ConvCaseGen(AnyMode, oneD: true).Sample(c =>
        {
            var rng = new Random(c.Seed);
            var x = new Tensor(c.Input1d(), RandomData(rng, Count(c.Input1d())));
            var w = new Tensor(c.Weight1d(), RandomData(rng, Count(c.Weight1d())));
            Tensor? b = c.WithBias ? new Tensor([c.OutChannels], RandomData(rng, c.OutChannels)) : null;

            Tensor full = Convolution.Conv1d(x, w, b, 1, c.W.Padding, c.W.Dilation, c.Groups, c.Mode);
            Tensor strided = Convolution.Conv1d(x, w, b, c.W.Stride, c.W.Padding, c.W.Dilation, c.Groups, c.Mode);

            int fullW = full.Size(-1), outW = strided.Size(-1);
            Assert.Equal((fullW - 1) / c.W.Stride + 1, outW);
            float[] f = full.ToArray();
            int planes = c.N * c.OutChannels;
            var expected = new double[planes * outW];
            for (int p = 0; p < planes; p++)
                for (int xx = 0; xx < outW; xx++)
                    expected[p * outW + xx] = f[p * fullW + xx * c.W.Stride];
            AssertClose(expected, strided.ToArray(), c.ToString());
        }, iter: Iterations);
    }

    // ---------------------------------------------------------------- adjointness

    [Fact]
    public void Conv2d_And_ConvTranspose2d_AreAdjoint()
    {
        ConvCaseGen(ZerosOnly, oneD: false).Sample(c =>
        {
            var rng = new Random(c.Seed);
            var x = new Tensor(c.Input2d(), RandomData(rng, Count(c.Input2d())));
            var w = new Tensor(c.Weight2d(), RandomData(rng, Count(c.Weight2d())));

            Tensor ax = Convolution.Conv2d(x, w, null, c.Stride, c.Padding, c.Dilation, c.Groups);
            var y = new Tensor(ax.Shape, RandomData(rng, ax.Length));
            Tensor aty = Convolution.ConvTranspose2d(y, w, null, c.Stride, c.Padding, (c.H.Remainder, c.W.Remainder), c.Dilation, c.Groups);

            Assert.Equal(x.Shape, aty.Shape);
            AssertAdjoint(ax, y, x, aty, c.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void Conv1d_And_ConvTranspose1d_AreAdjoint()
    {
        ConvCaseGen(ZerosOnly, oneD: true).Sample(c =>
        {
            var rng = new Random(c.Seed);
            var x = new Tensor(c.Input1d(), RandomData(rng, Count(c.Input1d())));
            var w = new Tensor(c.Weight1d(), RandomData(rng, Count(c.Weight1d())));

            Tensor ax = Convolution.Conv1d(x, w, null, c.W.Stride, c.W.Padding, c.W.Dilation, c.Groups);
            var y = new Tensor(ax.Shape, RandomData(rng, ax.Length));
            Tensor aty = Convolution.ConvTranspose1d(y, w, null, c.W.Stride, c.W.Padding, c.W.Remainder, c.W.Dilation, c.Groups);

            Assert.Equal(x.Shape, aty.Shape);
            AssertAdjoint(ax, y, x, aty, c.ToString());
        }, iter: Iterations);
    }

    // ---------------------------------------------------------------- padding

    [Fact]
    public void Pad_CroppingTheMiddleGivesTheInput()
    {
        PadCaseGen(AnyMode).Sample(c =>
        {
            var rng = new Random(c.Seed);
            float[] data = RandomData(rng, Count(c.Shape));
            Tensor padded = Padding.Pad(new Tensor(c.Shape, data), c.Pads, c.Mode, c.Value);

            int[] before = Befores(c);
            int[] outShape = padded.Shape;
            Assert.Equal(PaddedShape(c), outShape);
            float[] output = padded.ToArray();
            var coords = new int[c.Shape.Length];
            for (int i = 0; i < data.Length; i++)
            {
                Unflatten(i, c.Shape, coords);
                int o = 0;
                for (int d = 0; d < coords.Length; d++) o = o * outShape[d] + coords[d] + before[d];
                Assert.Equal(data[i], output[o]);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Pad_ZerosFillsExactlyValueAtTheBorder()
    {
        PadCaseGen(ZerosOnly).Sample(c =>
        {
            var rng = new Random(c.Seed);
            float[] data = RandomData(rng, Count(c.Shape));
            Tensor padded = Padding.Pad(new Tensor(c.Shape, data), c.Pads, c.Mode, c.Value);

            int[] before = Befores(c);
            int[] outShape = padded.Shape;
            float[] output = padded.ToArray();
            var coords = new int[outShape.Length];
            for (int o = 0; o < output.Length; o++)
            {
                Unflatten(o, outShape, coords);
                bool inside = true;
                for (int d = 0; d < coords.Length; d++)
                {
                    int i = coords[d] - before[d];
                    if (i < 0 || i >= c.Shape[d]) inside = false;
                }
                if (!inside) Assert.Equal(c.Value, output[o]);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Pad_EveryElementFollowsTheModeDefinition()
    {
        PadCaseGen(AnyMode).Sample(c =>
        {
            var rng = new Random(c.Seed);
            float[] data = RandomData(rng, Count(c.Shape));
            Tensor padded = Padding.Pad(new Tensor(c.Shape, data), c.Pads, c.Mode, c.Value);

            int[] before = Befores(c);
            int[] outShape = padded.Shape;
            float[] output = padded.ToArray();
            var coords = new int[outShape.Length];
            for (int o = 0; o < output.Length; o++)
            {
                Unflatten(o, outShape, coords);
                int source = 0;
                bool constant = false;
                for (int d = 0; d < coords.Length; d++)
                {
                    int i = ModeSource(c.Mode, coords[d] - before[d], c.Shape[d]);
                    if (i < 0) constant = true;
                    source = source * c.Shape[d] + Math.Max(i, 0);
                }
                Assert.Equal(constant ? c.Value : data[source], output[o]);
            }
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(PaddingMode.Zeros, new float[] { 0, 0, 1, 2, 3, 0, 0 })]
    [InlineData(PaddingMode.Reflect, new float[] { 3, 2, 1, 2, 3, 2, 1 })]
    [InlineData(PaddingMode.Replicate, new float[] { 1, 1, 1, 2, 3, 3, 3 })]
    [InlineData(PaddingMode.Circular, new float[] { 2, 3, 1, 2, 3, 1, 2 })]
    [InlineData(PaddingMode.Symmetric, new float[] { 2, 1, 1, 2, 3, 3, 2 })]
    public void Pad_ModeDefinitionMatchesTheDocumentedExample(PaddingMode mode, float[] expected)
    {
        var x = Tensor.FromArray([1f, 2f, 3f]);
        Assert.Equal(expected, Padding.Pad(x, [2, 2], mode).ToArray());
        float[] fromDefinition = new float[7];
        for (int j = 0; j < 7; j++)
        {
            int i = ModeSource(mode, j - 2, 3);
            fromDefinition[j] = i < 0 ? 0f : i + 1;
        }
        Assert.Equal(expected, fromDefinition);
    }

    // ---------------------------------------------------------------- references and helpers

    /// <summary>
    /// The reference for a forward case: zero-padding is part of the textbook sum; any other mode pads
    /// with <see cref="Padding.Pad"/> first and convolves the padded input without padding.
    /// </summary>
    private static double[] ReferenceForMode(ConvCase c, float[] x, float[] w, float[]? b, bool oneD, out int outH, out int outW)
    {
        int n = c.N, ch = c.InChannels, h = c.H.Size, wd = c.W.Size;
        int[] weight4 = [c.OutChannels, c.InPerGroup, c.H.Kernel, c.W.Kernel];
        if (c.Mode == PaddingMode.Zeros)
        {
            return ReferenceConv2d(x, [n, ch, h, wd], w, weight4, b, c.Stride, c.Padding, c.Dilation, c.Groups, out outH, out outW);
        }
        int[] inputShape = oneD ? c.Input1d() : c.Input2d();
        int[] pads = oneD ? [c.W.Padding, c.W.Padding] : [c.W.Padding, c.W.Padding, c.H.Padding, c.H.Padding];
        float[] padded = Padding.Pad(new Tensor(inputShape, x), pads, c.Mode).ToArray();
        return ReferenceConv2d(padded, [n, ch, h + 2 * c.H.Padding, wd + 2 * c.W.Padding], w, weight4, b,
            c.Stride, (0, 0), c.Dilation, c.Groups, out outH, out outW);
    }

    /// <summary>
    /// The textbook definition: zero-pad, then out[n, o, y, x] = bias[o] + Σ over the group's channels c and taps (i, j)
    /// of xp[n, c, y·s_h + i·d_h, x·s_w + j·d_w] · w[o, c − first, i, j], at every position where the dilated kernel fits.
    /// </summary>
    private static double[] ReferenceConv2d(float[] x, int[] xShape, float[] w, int[] wShape, float[]? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups, out int outH, out int outW)
    {
        int n = xShape[0], c = xShape[1], h = xShape[2], wd = xShape[3];
        int o = wShape[0], cg = wShape[1], kh = wShape[2], kw = wShape[3];
        int hp = h + 2 * padding.H, wp = wd + 2 * padding.W;

        var xp = new double[n * c * hp * wp];
        for (int p = 0; p < n * c; p++)
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < wd; xx++)
                    xp[(p * hp + y + padding.H) * wp + xx + padding.W] = x[(p * h + y) * wd + xx];

        outH = 0;
        while (outH * stride.H + (kh - 1) * dilation.H < hp) outH++;
        outW = 0;
        while (outW * stride.W + (kw - 1) * dilation.W < wp) outW++;

        int og = o / groups;
        var output = new double[n * o * outH * outW];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
            {
                int first = oc / og * cg;
                for (int y = 0; y < outH; y++)
                    for (int xx = 0; xx < outW; xx++)
                    {
                        double sum = bias is null ? 0 : bias[oc];
                        for (int ci = 0; ci < cg; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int row = y * stride.H + i * dilation.H, col = xx * stride.W + j * dilation.W;
                                    sum += xp[((b * c + first + ci) * hp + row) * wp + col] * (double)w[((oc * cg + ci) * kh + i) * kw + j];
                                }
                        output[((b * o + oc) * outH + y) * outW + xx] = sum;
                    }
            }
        return output;
    }

    /// <summary>
    /// Transposed convolution by scattering: each input element adds in[n, c, y, x] · w[c, o, i, j] at
    /// (y·s_h + i·d_h, x·s_w + j·d_w) of a full-size buffer, which is then cropped by the padding and
    /// extended by the output padding.
    /// </summary>
    private static double[] ReferenceTransposed(TransposedCase c, float[] x, float[] w, float[]? bias, out int outH, out int outW)
    {
        int n = c.N, ci = c.InChannels, co = c.OutChannels, og = c.OutPerGroup, ig = c.InPerGroup;
        TransposedAxis ah = c.H, aw = c.W;
        int fullH = (ah.Size - 1) * ah.Stride + ah.Dilation * (ah.Kernel - 1) + 1 + ah.OutputPadding;
        int fullW = (aw.Size - 1) * aw.Stride + aw.Dilation * (aw.Kernel - 1) + 1 + aw.OutputPadding;
        var full = new double[n * co * fullH * fullW];
        for (int b = 0; b < n; b++)
            for (int ic = 0; ic < ci; ic++)
            {
                int firstOut = ic / ig * og;
                for (int oi = 0; oi < og; oi++)
                    for (int y = 0; y < ah.Size; y++)
                        for (int xx = 0; xx < aw.Size; xx++)
                        {
                            double v = x[((b * ci + ic) * ah.Size + y) * aw.Size + xx];
                            for (int i = 0; i < ah.Kernel; i++)
                                for (int j = 0; j < aw.Kernel; j++)
                                {
                                    int row = y * ah.Stride + i * ah.Dilation, col = xx * aw.Stride + j * aw.Dilation;
                                    full[((b * co + firstOut + oi) * fullH + row) * fullW + col] +=
                                        v * w[((ic * og + oi) * ah.Kernel + i) * aw.Kernel + j];
                                }
                        }
            }
        outH = fullH - 2 * ah.Padding;
        outW = fullW - 2 * aw.Padding;
        var output = new double[n * co * outH * outW];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < co; oc++)
                for (int y = 0; y < outH; y++)
                    for (int xx = 0; xx < outW; xx++)
                        output[((b * co + oc) * outH + y) * outW + xx] =
                            (bias is null ? 0 : bias[oc]) + full[((b * co + oc) * fullH + y + ah.Padding) * fullW + xx + aw.Padding];
        return output;
    }

    /// <summary>
    /// The input index that position <paramref name="i"/> (relative to the start of the input) copies, or −1
    /// where the mode writes the constant, written from each mode's description.
    /// </summary>
    private static int ModeSource(PaddingMode mode, int i, int size)
    {
        if (i >= 0 && i < size) return i;
        switch (mode)
        {
            case PaddingMode.Zeros:
                return -1;
            case PaddingMode.Replicate:
                return Math.Clamp(i, 0, size - 1);
            case PaddingMode.Circular:
                return ((i % size) + size) % size;
            case PaddingMode.Reflect:
                // Mirror about the edge element: the sequence has period 2·(size − 1).
                if (size == 1) return 0;
                int period = 2 * (size - 1);
                int r = ((i % period) + period) % period;
                return r < size ? r : period - r;
            case PaddingMode.Symmetric:
                // Mirror about the edge itself: the sequence has period 2·size.
                int full = 2 * size;
                int s = ((i % full) + full) % full;
                return s < size ? s : full - 1 - s;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown mode");
        }
    }

    private static int[] Befores(PadCase c)
    {
        var before = new int[c.Shape.Length];
        for (int p = 0; p < c.Pads.Length / 2; p++) before[c.Shape.Length - 1 - p] = c.Pads[2 * p];
        return before;
    }

    private static int[] PaddedShape(PadCase c)
    {
        int[] shape = (int[])c.Shape.Clone();
        for (int p = 0; p < c.Pads.Length / 2; p++) shape[c.Shape.Length - 1 - p] += c.Pads[2 * p] + c.Pads[2 * p + 1];
        return shape;
    }

    private static void Unflatten(int flat, int[] shape, int[] coords)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            coords[d] = flat % shape[d];
            flat /= shape[d];
        }
    }

    private static int Count(int[] shape)
    {
        int count = 1;
        foreach (int s in shape) count *= s;
        return count;
    }

    private static float[] RandomData(Random rng, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }

    private static void AssertClose(double[] expected, float[] actual, string context)
    {
        Assert.True(expected.Length == actual.Length, $"length {actual.Length}, expected {expected.Length}; {context}");
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(expected[i] - actual[i]);
            if (diff > AbsoluteTolerance + RelativeTolerance * Math.Abs(expected[i]))
            {
                Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]} (difference {diff}); {context}");
            }
        }
    }

    /// <summary>
    /// ⟨A x, y⟩ = ⟨x, Aᵀ y⟩ in double, to a relative tolerance of the sum of absolute products, which bounds
    /// the rounding of both sides even when the dot products cancel.
    /// </summary>
    private static void AssertAdjoint(Tensor ax, Tensor y, Tensor x, Tensor aty, string context)
    {
        (double left, double leftScale) = Dot(ax.ToArray(), y.ToArray());
        (double right, double rightScale) = Dot(x.ToArray(), aty.ToArray());
        double tolerance = RelativeTolerance * Math.Max(Math.Max(leftScale, rightScale), 1e-3);
        Assert.True(Math.Abs(left - right) <= tolerance,
            $"<Ax, y> = {left} but <x, A^T y> = {right} (difference {Math.Abs(left - right)}, tolerance {tolerance}); {context}");
    }

    private static (double Dot, double AbsoluteSum) Dot(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double dot = 0, abs = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            abs += Math.Abs((double)a[i] * b[i]);
        }
        return (dot, abs);
    }
}
