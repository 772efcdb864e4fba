using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// The zero-insertion construction of a fractional stride against the helper's transposed convolution (itself
/// checked against PyTorch in the golden fixtures), over random shapes, groups, dilations, paddings that crop and
/// output paddings; and the overlap counts, operator matrices, bilinear kernel and metrics that exercise 6 uses.
/// </summary>
public sealed class FractionalStrideTests
{
    private const long Iterations = 600;

    public sealed record Axis(int Size, int Kernel, int Stride, int Padding, int OutputPadding, int Dilation);

    public sealed record Case(bool Batched, int Batch, int Groups, int InPerGroup, int OutPerGroup, Axis H, Axis W, bool WithBias, int Seed)
    {
        public int InChannels => Groups * InPerGroup;
        public int OutChannels => Groups * OutPerGroup;
        public int[] Input2d() => Batched ? [Batch, InChannels, H.Size, W.Size] : [InChannels, H.Size, W.Size];
        public int[] Input1d() => Batched ? [Batch, InChannels, W.Size] : [InChannels, W.Size];
        public int[] Weight2d() => [InChannels, OutPerGroup, H.Kernel, W.Kernel];
        public int[] Weight1d() => [InChannels, OutPerGroup, W.Kernel];
    }

    /// <summary>Valid transposed axes; the padding goes past dilation·(kernel − 1), so the construction must crop too.</summary>
    private static readonly Gen<Axis> AxisGen =
        from size in Gen.Int[1, 9]
        from kernel in Gen.Int[1, 5]
        from stride in Gen.Int[1, 4]
        from dilation in Gen.Int[1, 3]
        from outputPadding in Gen.Int[0, Math.Max(stride, dilation) - 1]
        from padding in Gen.Int[0, Math.Min(4, ((size - 1) * stride + dilation * (kernel - 1) + outputPadding) / 2)]
        select new Axis(size, kernel, stride, padding, outputPadding, dilation);

    private static readonly Axis Unit = new(1, 1, 1, 0, 0, 1);

    private static Gen<Case> CaseGen(bool oneD) =>
        from batched in Gen.Bool
        from batch in Gen.Int[1, 2]
        from groups in Gen.Int[1, 3]
        from inPerGroup in Gen.Int[1, 2]
        from outPerGroup in Gen.Int[1, 2]
        from h in oneD ? Gen.Const(Unit) : AxisGen
        from w in AxisGen
        from withBias in Gen.Bool
        from seed in Gen.Int[0, int.MaxValue]
        select new Case(batched, batched ? batch : 1, groups, inPerGroup, outPerGroup, h, w, withBias, seed);

    private static void AssertClose(Tensor expected, Tensor actual, string context)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4f + 1e-4f * Math.Abs(e[i]), $"element {i}: expected {e[i]}, got {a[i]}; {context}");
        }
    }

    // ---------------------------------------------------------------- the construction

    [Fact]
    public void ZeroInsertion2d_EqualsConvTranspose2d()
    {
        CaseGen(oneD: false).Sample(c =>
        {
            Tensor x = Tensor.Randn(c.Seed, c.Input2d());
            Tensor w = Tensor.Randn(c.Seed + 1, c.Weight2d());
            Tensor? b = c.WithBias ? Tensor.Randn(c.Seed + 2, c.OutChannels) : null;
            (int, int) s = (c.H.Stride, c.W.Stride), p = (c.H.Padding, c.W.Padding);
            (int, int) op = (c.H.OutputPadding, c.W.OutputPadding), d = (c.H.Dilation, c.W.Dilation);

            Tensor expected = Convolution.ConvTranspose2d(x, w, b, s, p, op, d, c.Groups);
            Tensor actual = FractionalStride.ConvTranspose2dByZeroInsertion(x, w, b, s, p, op, d, c.Groups);

            AssertClose(expected, actual, c.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void ZeroInsertion1d_EqualsConvTranspose1d()
    {
        CaseGen(oneD: true).Sample(c =>
        {
            Tensor x = Tensor.Randn(c.Seed, c.Input1d());
            Tensor w = Tensor.Randn(c.Seed + 1, c.Weight1d());
            Tensor? b = c.WithBias ? Tensor.Randn(c.Seed + 2, c.OutChannels) : null;
            Axis a = c.W;

            Tensor expected = Convolution.ConvTranspose1d(x, w, b, a.Stride, a.Padding, a.OutputPadding, a.Dilation, c.Groups);
            Tensor actual = FractionalStride.ConvTranspose1dByZeroInsertion(x, w, b, a.Stride, a.Padding, a.OutputPadding, a.Dilation, c.Groups);

            AssertClose(expected, actual, c.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void ZeroInsertion_StrideTwoKernelFourPaddingOne_DoublesTheSize()
    {
        Tensor x = Tensor.Randn(3, 2, 3, 5, 7);
        Tensor w = Tensor.Randn(4, 3, 6, 4, 4);

        Tensor y = FractionalStride.ConvTranspose2dByZeroInsertion(x, w, stride: (2, 2), padding: (1, 1));

        Assert.Equal([2, 6, 10, 14], y.Shape);
    }

    [Fact]
    public void ZeroInsertion_RejectsBadCallsWithTheTransposedMessages()
    {
        var groups = Assert.Throws<ArgumentException>(() =>
            FractionalStride.ConvTranspose2dByZeroInsertion(Tensor.Zeros(1, 3, 4, 4), Tensor.Zeros(3, 1, 3, 3), groups: 2));
        Assert.Equal("groups", groups.ParamName);
        Assert.Contains("3 channels and groups is 2", groups.Message, StringComparison.Ordinal);

        var outputPadding = Assert.Throws<ArgumentOutOfRangeException>(() =>
            FractionalStride.ConvTranspose1dByZeroInsertion(Tensor.Zeros(1, 4), Tensor.Zeros(1, 1, 3), stride: 2, outputPadding: 2));
        Assert.Equal("outputPadding", outputPadding.ParamName);
        Assert.Contains("max(2, 1) = 2", outputPadding.Message, StringComparison.Ordinal);

        var stride = Assert.Throws<ArgumentOutOfRangeException>(() =>
            FractionalStride.ConvTranspose2dByZeroInsertion(Tensor.Zeros(1, 4, 4), Tensor.Zeros(1, 1, 3, 3), stride: (2, 0)));
        Assert.Equal("stride.W", stride.ParamName);
    }

    // ---------------------------------------------------------------- its parts

    [Fact]
    public void InsertZeros_PutsStrideMinusOneZerosBetweenElements()
    {
        Tensor image = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        Tensor signal = Tensor.FromArray([1f, 2f, 3f]);

        Assert.Equal(new float[] { 1, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 4 }, FractionalStride.InsertZeros(image, (2, 3)).ToArray());
        Assert.Equal([3, 4], FractionalStride.InsertZeros(image, (2, 3)).Shape);
        Assert.Equal(new float[] { 1, 0, 2, 0, 3 }, FractionalStride.InsertZeros(signal, 2).ToArray());
        Assert.Equal([2, 1, 3], FractionalStride.InsertZeros(Tensor.Zeros(2, 1, 2), 2).Shape);
        Assert.Equal(image.ToArray(), FractionalStride.InsertZeros(image, (1, 1)).ToArray());
    }

    [Fact]
    public void InsertZeros_RejectsBadArguments()
    {
        var rank = Assert.Throws<ArgumentException>(() => FractionalStride.InsertZeros(Tensor.Zeros(3), (2, 2)));
        Assert.Equal("input", rank.ParamName);
        Assert.Contains("(3,)", rank.Message, StringComparison.Ordinal);
        var stride = Assert.Throws<ArgumentOutOfRangeException>(() => FractionalStride.InsertZeros(Tensor.Zeros(3), 0));
        Assert.Equal("stride", stride.ParamName);
        Assert.Equal(0, stride.ActualValue);
        var tooLarge = Assert.Throws<ArgumentException>(() => FractionalStride.InsertZeros(Tensor.Zeros(2, 2), (int.MaxValue, int.MaxValue)));
        Assert.Equal("stride", tooLarge.ParamName);
    }

    [Fact]
    public void EquivalentConvWeight_FlipsKernelsAndSwapsChannelsPerGroup()
    {
        // (in 4, out/groups 1, 1, 2) with groups 2: in channels {0, 1} feed out channel 0, {2, 3} feed out channel 1.
        Tensor w = Tensor.Arange(8).Reshape(4, 1, 1, 2);

        Tensor conv = FractionalStride.EquivalentConvWeight(w, groups: 2);

        Assert.Equal([2, 2, 1, 2], conv.Shape);
        Assert.Equal(new float[] { 1, 0, 3, 2, 5, 4, 7, 6 }, conv.ToArray());
        Assert.Equal(new float[] { 2, 1, 0 }, FractionalStride.EquivalentConvWeight(Tensor.Arange(3).Reshape(1, 1, 3)).ToArray());
    }

    [Fact]
    public void EquivalentConvWeight_RejectsBadArguments()
    {
        var rank = Assert.Throws<ArgumentException>(() => FractionalStride.EquivalentConvWeight(Tensor.Zeros(2, 2)));
        Assert.Equal("weight", rank.ParamName);
        var groups = Assert.Throws<ArgumentException>(() => FractionalStride.EquivalentConvWeight(Tensor.Zeros(3, 1, 2), groups: 2));
        Assert.Equal("groups", groups.ParamName);
        Assert.Contains("3 in channels and groups is 2", groups.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => FractionalStride.EquivalentConvWeight(Tensor.Zeros(3, 1, 2), groups: 0));
    }

    // ---------------------------------------------------------------- overlap

    [Fact]
    public void Overlap_CountsTapsPerOutputPosition()
    {
        Assert.Equal([1, 1, 2, 1, 2, 1, 2, 1, 1], FractionalStride.Overlap(4, kernel: 3, stride: 2));
        Assert.Equal([1, 2, 2, 2, 2, 2, 2, 1], FractionalStride.Overlap(4, kernel: 4, stride: 2, padding: 1));
        Assert.Equal([1, 1, 1, 1], FractionalStride.Overlap(2, kernel: 2, stride: 2));
    }

    [Fact]
    public void Overlap2d_EqualsTransposedConvolutionOfOnes()
    {
        AxisGen.Select(AxisGen).Sample((h, w) =>
        {
            Tensor ones = Tensor.Full([1, 1, h.Size, w.Size], 1f);
            Tensor kernel = Tensor.Full([1, 1, h.Kernel, w.Kernel], 1f);
            (int, int) s = (h.Stride, w.Stride), p = (h.Padding, w.Padding), op = (h.OutputPadding, w.OutputPadding), d = (h.Dilation, w.Dilation);

            Tensor expected = Convolution.ConvTranspose2d(ones, kernel, null, s, p, op, d);
            Tensor counts = FractionalStride.Overlap((h.Size, w.Size), (h.Kernel, w.Kernel), s, p, op, d);

            Assert.Equal(expected.ToArray(), counts.ToArray());
            Assert.Equal(expected.Shape[2..], counts.Shape);
        }, iter: Iterations);
    }

    [Fact]
    public void Overlap_IsEvenInTheInteriorExactlyWhenTheStrideDividesTheKernel()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 4]).Sample((kernel, stride) =>
        {
            int[] counts = FractionalStride.Overlap(12, kernel, stride);
            int[] interior = counts[kernel..^kernel];
            Assert.Equal(kernel % stride == 0, interior.Distinct().Count() == 1);
        });
    }

    [Fact]
    public void Overlap_RejectsBadArguments()
    {
        var kernel = Assert.Throws<ArgumentOutOfRangeException>(() => FractionalStride.Overlap((4, 4), (3, 0), (2, 2)));
        Assert.Equal("kernel.W", kernel.ParamName);
        var padding = Assert.Throws<ArgumentException>(() => FractionalStride.Overlap(1, kernel: 1, stride: 1, padding: 1));
        Assert.Equal("padding", padding.ParamName);
    }

    // ---------------------------------------------------------------- matrices

    [Fact]
    public void MatrixOf_TransposedConvolutionIsTheTransposeOfConvolution()
    {
        Gen.Select(AxisGen, Gen.Int[0, int.MaxValue]).Where((a, _) => a.Dilation * (a.Kernel - 1) + 1 <= a.Size + 2 * a.Padding)
            .Sample((a, seed) =>
        {
            Tensor w = Tensor.Randn(seed, 2, 1, a.Kernel);
            int outLength = ConvShape.Output(a.Size, a.Kernel, a.Padding, a.Stride, a.Dilation);
            int outputPadding = (a.Size + 2 * a.Padding - a.Dilation * (a.Kernel - 1) - 1) % a.Stride;

            Tensor conv = FractionalStride.MatrixOf(x => Convolution.Conv1d(x, w, null, a.Stride, a.Padding, a.Dilation), 1, a.Size);
            Tensor convT = FractionalStride.MatrixOf(
                y => Convolution.ConvTranspose1d(y, w, null, a.Stride, a.Padding, outputPadding, a.Dilation), 2, outLength);

            Assert.Equal([2 * outLength, a.Size], conv.Shape);
            Assert.Equal(conv.ToMatrix().Transpose().ToArray(), convT.ToMatrix().ToArray());
        }, iter: Iterations);
    }

    [Fact]
    public void MatrixOf_HasOneColumnPerOneHot()
    {
        Tensor m = FractionalStride.MatrixOf(x => FractionalStride.InsertZeros(x, 2), 3);

        Assert.Equal([5, 3], m.Shape);
        Assert.Equal(new float[] { 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1 }, m.ToArray());
    }

    [Fact]
    public void MatrixOf_RejectsAffineAndRaggedMaps()
    {
        Tensor w = Tensor.Full([1, 1, 2], 1f);
        var affine = Assert.Throws<ArgumentException>(() =>
            FractionalStride.MatrixOf(x => Convolution.Conv1d(x, w, Tensor.Full([1], 0.5f)), 1, 4));
        Assert.Equal("map", affine.ParamName);
        Assert.Contains("0.5", affine.Message, StringComparison.Ordinal);
        var ragged = Assert.Throws<ArgumentException>(() =>
            FractionalStride.MatrixOf(x => x[0] == 1f ? Tensor.Zeros(3) : Tensor.Zeros(2), 2));
        Assert.Equal("map", ragged.ParamName);
        Assert.Throws<ArgumentException>(() => FractionalStride.MatrixOf(x => x, 0));
    }

    // ---------------------------------------------------------------- bilinear kernel

    [Fact]
    public void BilinearKernel_HasFcnTaps()
    {
        Tensor k = FractionalStride.BilinearKernel(2, channels: 3);

        Assert.Equal([3, 1, 4, 4], k.Shape);
        float[] taps = [0.25f, 0.75f, 0.75f, 0.25f];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                Assert.Equal(taps[r] * taps[c], k[2, 0, r, c], 6);
        Assert.Equal(new float[] { 1f / 9, 2f / 9, 3f / 9, 2f / 9, 1f / 9 }.Select(v => v * 3).ToArray(),
            Enumerable.Range(0, 5).Select(c => FractionalStride.BilinearKernel(3)[0, 0, 2, c]).ToArray());
        Assert.Equal(new float[] { 1 }, FractionalStride.BilinearKernel(1).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void BilinearKernel_UpsamplesAsBilinearInterpolationAwayFromTheBorder(int factor)
    {
        Tensor x = Tensor.Randn(factor, 1, 2, 6, 7);
        Tensor up = Convolution.ConvTranspose2d(x, FractionalStride.BilinearKernel(factor, 2),
            stride: (factor, factor), padding: (factor / 2, factor / 2), groups: 2);
        Tensor reference = Interpolation.Interpolate(x, (factor, factor), InterpolationMode.Bilinear);

        Assert.Equal(reference.Shape, up.Shape);
        int border = factor / 2;
        for (int c = 0; c < 2; c++)
            for (int r = border; r < 6 * factor - border; r++)
                for (int q = border; q < 7 * factor - border; q++)
                    Assert.Equal(reference[0, c, r, q], up[0, c, r, q], 1e-5);
        if (factor > 1)
        {
            Assert.True(Math.Abs(reference[0, 0, 0, 0] - up[0, 0, 0, 0]) > 1e-3, "the corner differs: interpolation clamps, the transposed convolution sees zeros");
        }
    }

    [Fact]
    public void BilinearKernel_RejectsBadArguments()
    {
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => FractionalStride.BilinearKernel(0)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => FractionalStride.BilinearKernel(5000)).ParamName);
        Assert.Equal("channels", Assert.Throws<ArgumentOutOfRangeException>(() => FractionalStride.BilinearKernel(2, 0)).ParamName);
    }

    // ---------------------------------------------------------------- metrics

    [Fact]
    public void Interior_MeasuresTheCheckerboardOfUnevenOverlap()
    {
        Tensor ones = Tensor.Full([1, 1, 8, 8], 1f);
        InteriorSpread uneven = FractionalStride.Interior(Convolution.ConvTranspose2d(ones, Tensor.Full([1, 1, 3, 3], 1f), stride: (2, 2)), 2);
        InteriorSpread even = FractionalStride.Interior(Convolution.ConvTranspose2d(ones, Tensor.Full([1, 1, 4, 4], 1f), stride: (2, 2)), 2);

        Assert.Equal((1f, 4f, 4.0), (uneven.Min, uneven.Max, uneven.Ratio));
        Assert.Equal((4f, 4f, 1.0), (even.Min, even.Max, even.Ratio));
        Assert.Equal(20.0 / 13 * (20.0 / 13), uneven.Mean, 6);   // rows and columns each average (7·2 + 6·1) / 13
        Assert.Equal(0f, FractionalStride.Interior(Tensor.Arange(9).Reshape(3, 3), 0).Min);
        Assert.Equal(8.5, FractionalStride.Interior(Tensor.Arange(18).Reshape(2, 3, 3), 1).Mean, 6);   // (4 + 13) / 2
        Assert.Equal(4f, FractionalStride.Interior(Tensor.Arange(9).Reshape(3, 3), 1).Max);
    }

    [Fact]
    public void Interior_RejectsBadArguments()
    {
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => FractionalStride.Interior(Tensor.Zeros(4), 0)).ParamName);
        var border = Assert.Throws<ArgumentOutOfRangeException>(() => FractionalStride.Interior(Tensor.Zeros(4, 6), 2));
        Assert.Equal("border", border.ParamName);
        Assert.Contains("height 4", border.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => FractionalStride.Interior(Tensor.Zeros(4, 6), -1));
    }

    [Fact]
    public void RootMeanSquare_IsElementwise()
    {
        Tensor rms = FractionalStride.RootMeanSquare([new Tensor([2], [3, 1]), new Tensor([2], [-3, 7])]);

        Assert.Equal(new float[] { 3, 5 }, rms.ToArray());
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => FractionalStride.RootMeanSquare([])).ParamName);
        var shapes = Assert.Throws<ArgumentException>(() => FractionalStride.RootMeanSquare([Tensor.Zeros(2), Tensor.Zeros(3)]));
        Assert.Contains("(3,)", shapes.Message, StringComparison.Ordinal);
    }
}
