using System.Runtime.Intrinsics;
using System.Text.Json;
using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// The fast kernels against the plain loops of <see cref="ConvolutionReference"/>: random shapes much wider than a
/// tile (so every edge of the 8 × 48 and 4 × 3·width tiles is hit), every padding mode, strides, dilations, groups,
/// both micro-kernels and several thread counts; and every PyTorch fixture forced through the fast path.
/// </summary>
public sealed class FastConvolutionTests
{
    private const long Iterations = 300;

    public sealed record Axis(int Size, int Kernel, int Stride, int Padding, int Dilation);

    internal sealed record Case(int Batch, bool Batched, int Groups, int InPerGroup, int OutPerGroup, Axis H, Axis W,
        PaddingMode Mode, bool WithBias, KernelKind Kind, int Threads, int Seed)
    {
        public int InChannels => Groups * InPerGroup;
        public int OutChannels => Groups * OutPerGroup;
    }

    public sealed record TransposedAxis(int Size, int Kernel, int Stride, int Padding, int OutputPadding, int Dilation);

    internal sealed record TransposedCase(int Batch, bool Batched, int Groups, int InPerGroup, int OutPerGroup,
        TransposedAxis H, TransposedAxis W, bool WithBias, KernelKind Kind, int Threads, int Seed)
    {
        public int InChannels => Groups * InPerGroup;
        public int OutChannels => Groups * OutPerGroup;
    }

    /// <summary>The micro-kernels this processor can run fast; the portable one always, for the fallback's sake.</summary>
    private static readonly Gen<KernelKind> Kinds = Vector512.IsHardwareAccelerated
        ? Gen.OneOf(Gen.Const(KernelKind.Vector512), Gen.Const(KernelKind.Portable))
        : Gen.Const(KernelKind.Portable);

    private static int MaxPad(PaddingMode mode, int size) => mode switch
    {
        PaddingMode.Reflect => Math.Min(3, size - 1),
        PaddingMode.Circular or PaddingMode.Symmetric => Math.Min(3, size),
        _ => 3,
    };

    private static Gen<Axis> AxisGen(PaddingMode mode, int maxSize) =>
        from size in Gen.Int[1, maxSize]
        from padding in Gen.Int[0, MaxPad(mode, size)]
        from dilation in Gen.Int[1, 3]
        from kernel in Gen.Int[1, Math.Min(5, (size + 2 * padding - 1) / dilation + 1)]
        from stride in Gen.Int[1, 4]
        select new Axis(size, kernel, stride, padding, dilation);

    internal static Gen<Case> CaseGen(bool oneD) =>
        from mode in Gen.Enum<PaddingMode>()
        from batched in Gen.Bool
        from batch in Gen.Int[1, 2]
        from groups in Gen.Int[1, 3]
        from inPerGroup in Gen.Int[1, 4]
        from outPerGroup in Gen.Int[1, 11]
        from h in oneD ? Gen.Const(new Axis(1, 1, 1, 0, 1)) : AxisGen(mode, 14)
        from w in AxisGen(mode, oneD ? 150 : 70)
        from withBias in Gen.Bool
        from kind in Kinds
        from threads in Gen.Int[1, 3]
        from seed in Gen.Int
        select new Case(batched ? batch : 1, batched, groups, inPerGroup, outPerGroup, h, w, mode, withBias, kind, threads, seed);

    private static Gen<TransposedAxis> TransposedAxisGen(int maxSize) =>
        from size in Gen.Int[1, maxSize]
        from kernel in Gen.Int[1, 5]
        from stride in Gen.Int[1, 4]
        from dilation in Gen.Int[1, 3]
        from outputPadding in Gen.Int[0, Math.Max(stride, dilation) - 1]
        from padding in Gen.Int[0, Math.Min(3, ((size - 1) * stride + dilation * (kernel - 1) + outputPadding) / 2)]
        select new TransposedAxis(size, kernel, stride, padding, outputPadding, dilation);

    internal static Gen<TransposedCase> TransposedCaseGen(bool oneD) =>
        from batched in Gen.Bool
        from batch in Gen.Int[1, 2]
        from groups in Gen.Int[1, 3]
        from inPerGroup in Gen.Int[1, 4]
        from outPerGroup in Gen.Int[1, 11]
        from h in oneD ? Gen.Const(new TransposedAxis(1, 1, 1, 0, 0, 1)) : TransposedAxisGen(12)
        from w in TransposedAxisGen(oneD ? 80 : 40)
        from withBias in Gen.Bool
        from kind in Kinds
        from threads in Gen.Int[1, 3]
        from seed in Gen.Int
        select new TransposedCase(batched ? batch : 1, batched, groups, inPerGroup, outPerGroup, h, w, withBias, kind, threads, seed);

    /// <summary>
    /// Cases with enough output rows that two to four threads split them into bands of panels, each band packing the plane
    /// rows it reads into a copy of its own: the bands' edges (inside a row, or between rows), a last band shorter or longer
    /// than the others, bands without a panel (narrow outputs), strides up to 4.
    /// </summary>
    private static Gen<Case> BandCaseGen =>
        from c in CaseGen(oneD: false)
        from size in Gen.Int[24, 64]
        from padding in Gen.Int[0, 3]
        from dilation in Gen.Int[1, 3]
        from kernel in Gen.Int[1, 5]
        from stride in Gen.Int[1, 4]
        from w in AxisGen(c.Mode, 40)
        from threads in Gen.Int[2, 4]
        let h = new Axis(size, kernel, stride, padding, dilation)
        where (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1 >= 4 * threads
        select c with { H = h, W = w, Threads = threads };

    /// <summary>
    /// Column strides 3 to 10, whose phase planes are packed from whole padded rows by permutes up to a stride of 8 and
    /// phase by phase above it: rows of one to several blocks of 16·s padded columns (the last one partly outside the
    /// plane), every padding mode, one to three threads.
    /// </summary>
    private static Gen<Case> WideStrideCaseGen =>
        from c in CaseGen(oneD: false)
        from size in Gen.Int[1, 200]
        from padding in Gen.Int[0, MaxPad(c.Mode, size)]
        from dilation in Gen.Int[1, 2]
        from kernel in Gen.Int[1, Math.Min(5, (size + 2 * padding - 1) / dilation + 1)]
        from stride in Gen.Int[3, 10]
        from h in AxisGen(c.Mode, 40)
        from threads in Gen.Int[1, 3]
        select c with { H = h, W = new Axis(size, kernel, stride, padding, dilation), Threads = threads };

    [Fact]
    public void Conv2d_WideColumnStrides_EqualReference() => WideStrideCaseGen.Sample(CheckConv2d, iter: 200);

    /// <summary>
    /// Long rows at column strides 3 and 5: eight scratch rows of the permuting packer at a time, three, or rows too long
    /// for its scratch (packed phase by phase instead).
    /// </summary>
    [Theory]
    [InlineData(3, 900)]
    [InlineData(5, 5000)]
    [InlineData(3, 20000)]
    public void Conv2d_LongRowsAtWideStrides_EqualReference(int stride, int width)
    {
        (Tensor x, Tensor w, Tensor? b) = Operands(stride + width, [1, 3, 11, width], [4, 3, 3, 5], 4);
        foreach (int threads in new[] { 1, 2 })
        {
            Tensor fast = Convolution.Forward("Conv2d", false, x, w, b, (1, stride), (1, 2), (1, 1), 1, PaddingMode.Reflect,
                new Convolution.Route(Convolution.Path.Fast, null, threads));
            AssertSame(ConvolutionReference.Conv2d(x, w, b, (1, stride), (1, 2), (1, 1), 1, PaddingMode.Reflect), fast, $"{threads} thread(s)");
        }
    }

    [Fact]
    public void Conv2d_FastEqualsReference() => CaseGen(oneD: false).Sample(CheckConv2d, iter: Iterations);

    [Fact]
    public void Conv2d_Bands_EqualReference() => BandCaseGen.Sample(CheckConv2d, iter: 100);

    [Theory]
    [InlineData(144, 3, 1, 30)]
    [InlineData(144, 3, 2, 30)]
    [InlineData(40, 5, 1, 19)]
    [InlineData(13, 7, 2, 40)]
    public void Conv2d_DepthOverSeveralSlices_EqualsReference(int inChannels, int kernel, int stride, int width)
    {
        // Depths of 637 to 1296 taps are walked in two or three slices; every slice after the first adds to the sums the
        // ones before left, in the scratch tiles and in the output rows that tiles write directly.
        var slicing = new ImplicitGemm();
        slicing.ChooseSlice(kernel * kernel);
        Assert.True(inChannels * kernel * kernel > slicing.SliceDepth, $"{inChannels} channels of {kernel}×{kernel} fit in one slice of {slicing.SliceDepth} taps");
        var rng = new Random(inChannels * 7 + kernel);
        Tensor x = Random(rng, [1, inChannels, 12, width]);
        Tensor w = Random(rng, [10, inChannels, kernel, kernel]);
        Tensor b = Random(rng, [10]);
        foreach (KernelKind kind in Vector512.IsHardwareAccelerated ? [KernelKind.Vector512, KernelKind.Portable] : new[] { KernelKind.Portable })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Tensor fast = Convolution.Forward("Conv2d", false, x, w, b, (stride, stride), (kernel / 2, kernel / 2), (1, 1), 1, PaddingMode.Zeros,
                    new Convolution.Route(Convolution.Path.Fast, kind, threads));
                AssertSame(ConvolutionReference.Conv2d(x, w, b, stride: (stride, stride), padding: (kernel / 2, kernel / 2)), fast, $"{kind}, {threads} thread(s)");
            }
        }
    }

    /// <summary>A case's input, weight and bias (when it has one), drawn in that order from its seed.</summary>
    private static (Tensor X, Tensor W, Tensor? B) Operands(int seed, int[] inShape, int[] weightShape, int? biasLength)
    {
        var rng = new Random(seed);
        Tensor x = Random(rng, inShape);
        Tensor w = Random(rng, weightShape);
        return (x, w, biasLength is int length ? Random(rng, [length]) : null);
    }

    private static void CheckConv2d(Case c)
    {
        (Tensor x, Tensor w, Tensor? b) = Operands(c.Seed,
            c.Batched ? [c.Batch, c.InChannels, c.H.Size, c.W.Size] : [c.InChannels, c.H.Size, c.W.Size],
            [c.OutChannels, c.InPerGroup, c.H.Kernel, c.W.Kernel], c.WithBias ? c.OutChannels : null);
        (int, int) stride = (c.H.Stride, c.W.Stride), padding = (c.H.Padding, c.W.Padding), dilation = (c.H.Dilation, c.W.Dilation);

        Tensor fast = Convolution.Forward("Conv2d", false, x, w, b, stride, padding, dilation, c.Groups, c.Mode, new Convolution.Route(Convolution.Path.Fast, c.Kind, c.Threads));
        Tensor plain = ConvolutionReference.Conv2d(x, w, b, stride, padding, dilation, c.Groups, c.Mode);
        AssertSame(plain, fast, c.ToString());
    }

    [Fact]
    public void Conv1d_FastEqualsReference()
    {
        CaseGen(oneD: true).Sample(c =>
        {
            (Tensor x, Tensor w, Tensor? b) = Operands(c.Seed, c.Batched ? [c.Batch, c.InChannels, c.W.Size] : [c.InChannels, c.W.Size],
                [c.OutChannels, c.InPerGroup, c.W.Kernel], c.WithBias ? c.OutChannels : null);

            Tensor fast = Convolution.Forward("Conv1d", true, x, w, b, (1, c.W.Stride), (0, c.W.Padding), (1, c.W.Dilation), c.Groups, c.Mode, new Convolution.Route(Convolution.Path.Fast, c.Kind, c.Threads));
            Tensor plain = ConvolutionReference.Conv1d(x, w, b, c.W.Stride, c.W.Padding, c.W.Dilation, c.Groups, c.Mode);
            AssertSame(plain, fast, c.ToString());
        }, iter: Iterations);
    }

    /// <summary>
    /// Transposed cases with enough phase rows that two to four threads split them into bands, each band packing the
    /// padded rows it reads into a copy of its own: large paddings move the first row a phase reads, strides up to 4.
    /// </summary>
    private static Gen<TransposedCase> TransposedBandCaseGen =>
        from c in TransposedCaseGen(oneD: false)
        from h in TransposedAxisGen(30)
        from padding in Gen.Int[0, 9]
        from threads in Gen.Int[2, 4]
        let axis = h with { Padding = Math.Min(padding, ((h.Size - 1) * h.Stride + h.Dilation * (h.Kernel - 1) + h.OutputPadding) / 2) }
        where ((axis.Size - 1) * axis.Stride - 2 * axis.Padding + axis.Dilation * (axis.Kernel - 1) + axis.OutputPadding + 1) / axis.Stride >= 4 * threads
        select c with { H = axis, Threads = threads };

    [Fact]
    public void ConvTranspose2d_FastEqualsReference() => TransposedCaseGen(oneD: false).Sample(CheckConvTranspose2d, iter: Iterations);

    [Fact]
    public void ConvTranspose2d_BandsOfRows_EqualReference() => TransposedBandCaseGen.Sample(CheckConvTranspose2d, iter: 100);

    private static void CheckConvTranspose2d(TransposedCase c)
    {
        (Tensor x, Tensor w, Tensor? b) = Operands(c.Seed,
            c.Batched ? [c.Batch, c.InChannels, c.H.Size, c.W.Size] : [c.InChannels, c.H.Size, c.W.Size],
            [c.InChannels, c.OutPerGroup, c.H.Kernel, c.W.Kernel], c.WithBias ? c.OutChannels : null);
        (int, int) stride = (c.H.Stride, c.W.Stride), padding = (c.H.Padding, c.W.Padding);
        (int, int) outputPadding = (c.H.OutputPadding, c.W.OutputPadding), dilation = (c.H.Dilation, c.W.Dilation);

        Tensor fast = Convolution.Transposed("ConvTranspose2d", false, x, w, b, stride, padding, outputPadding, dilation, c.Groups, new Convolution.Route(Convolution.Path.Fast, c.Kind, c.Threads));
        Tensor plain = ConvolutionReference.ConvTranspose2d(x, w, b, stride, padding, outputPadding, dilation, c.Groups);
        AssertSame(plain, fast, c.ToString());
    }

    [Fact]
    public void ConvTranspose1d_FastEqualsReference()
    {
        TransposedCaseGen(oneD: true).Sample(c =>
        {
            (Tensor x, Tensor w, Tensor? b) = Operands(c.Seed, c.Batched ? [c.Batch, c.InChannels, c.W.Size] : [c.InChannels, c.W.Size],
                [c.InChannels, c.OutPerGroup, c.W.Kernel], c.WithBias ? c.OutChannels : null);

            Tensor fast = Convolution.Transposed("ConvTranspose1d", true, x, w, b, (1, c.W.Stride), (0, c.W.Padding), (0, c.W.OutputPadding), (1, c.W.Dilation), c.Groups, new Convolution.Route(Convolution.Path.Fast, c.Kind, c.Threads));
            Tensor plain = ConvolutionReference.ConvTranspose1d(x, w, b, c.W.Stride, c.W.Padding, c.W.OutputPadding, c.W.Dilation, c.Groups);
            AssertSame(plain, fast, c.ToString());
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    public void Conv2d_LayerSizedCallsEqualReference(int stride, int threads)
    {
        var rng = new Random(stride);
        Tensor x = Random(rng, [1, 16, 29, 31]);
        Tensor w = Random(rng, [20, 16, 3, 3]);
        Tensor b = Random(rng, [20]);
        Tensor fast = Convolution.Forward("Conv2d", false, x, w, b, (stride, stride), (1, 1), (1, 1), 1, PaddingMode.Zeros, new Convolution.Route(Convolution.Path.Fast, null, threads));
        AssertSame(ConvolutionReference.Conv2d(x, w, b, (stride, stride), (1, 1)), fast, $"stride {stride}");
    }

    /// <summary>Tall images split into bands of output rows, one per thread, with batch, groups, dilation and a padding mode.</summary>
    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(3, 2, 2)]
    [InlineData(4, 3, 1)]
    public void Conv2d_BandsPerThreadEqualReference(int threads, int stride, int dilation)
    {
        var rng = new Random(threads * 10 + stride);
        Tensor x = Random(rng, [2, 6, 41, 37]);
        Tensor w = Random(rng, [10, 3, 3, 3]);
        Tensor b = Random(rng, [10]);
        Tensor fast = Convolution.Forward("Conv2d", false, x, w, b, (stride, stride), (2, 2), (dilation, dilation), 2, PaddingMode.Reflect,
            new Convolution.Route(Convolution.Path.Fast, null, threads));
        AssertSame(ConvolutionReference.Conv2d(x, w, b, (stride, stride), (2, 2), (dilation, dilation), 2, PaddingMode.Reflect), fast, $"{threads} threads");
    }

    /// <summary>
    /// The packed weights kept for the next call with the same tensor are reused only for that tensor and layout:
    /// alternating tensors of one shape, group counts and micro-kernels still match the reference every time.
    /// </summary>
    [Fact]
    public void Conv2d_KeptPackedWeightsAreReusedOnlyForTheSameTensorAndLayout()
    {
        var rng = new Random(5);
        Tensor w1 = Random(rng, [8, 4, 3, 3]), w2 = Random(rng, [8, 4, 3, 3]);
        Tensor x4 = Random(rng, [1, 4, 20, 30]), x8 = Random(rng, [1, 8, 20, 30]);
        KernelKind[] kinds = Vector512.IsHardwareAccelerated ? [KernelKind.Vector512, KernelKind.Portable] : [KernelKind.Portable];
        var calls = new (Tensor X, Tensor W, int Groups, KernelKind Kind)[]
        {
            (x4, w1, 1, kinds[0]), (x4, w1, 1, kinds[0]), (x4, w2, 1, kinds[0]), (x4, w1, 1, kinds[0]),
            (x8, w1, 2, kinds[0]), (x4, w1, 1, kinds[^1]), (x4, w1, 1, kinds[0]), (x8, w2, 2, kinds[^1]),
        };
        foreach ((Tensor x, Tensor w, int groups, KernelKind kind) in calls)
        {
            Tensor fast = Convolution.Forward("Conv2d", false, x, w, null, (1, 1), (1, 1), (1, 1), groups, PaddingMode.Zeros,
                new Convolution.Route(Convolution.Path.Fast, kind, 1));
            AssertSame(ConvolutionReference.Conv2d(x, w, null, (1, 1), (1, 1), (1, 1), groups), fast, $"groups {groups}, {kind}");
        }
    }

    /// <summary>
    /// A transposed convolution's kept weights are split into the stride phases, so they are reused only for the same
    /// tensor, stride and dilation: one tensor used forward and transposed, at several strides and dilations and on
    /// inputs so small that some phases have no outputs, still matches the reference on every call.
    /// </summary>
    [Fact]
    public void ConvTranspose2d_KeptPackedWeightsFollowTheStrideAndDilation()
    {
        var rng = new Random(11);
        Tensor w1 = Random(rng, [8, 4, 3, 3]), w2 = Random(rng, [8, 4, 3, 3]);
        Tensor x8 = Random(rng, [1, 8, 12, 17]), tiny = Random(rng, [1, 8, 1, 1]), x4 = Random(rng, [1, 4, 20, 30]);
        KernelKind[] kinds = Vector512.IsHardwareAccelerated ? [KernelKind.Vector512, KernelKind.Portable] : [KernelKind.Portable];
        var calls = new (Tensor X, Tensor W, int Stride, int Dilation, int Padding, KernelKind Kind)[]
        {
            (x8, w1, 2, 1, 1, kinds[0]), (x8, w1, 2, 1, 1, kinds[0]), (x8, w1, 2, 2, 1, kinds[0]), (tiny, w1, 3, 1, 1, kinds[0]),
            (x8, w1, 3, 1, 0, kinds[0]), (x8, w2, 2, 2, 1, kinds[0]), (x8, w1, 2, 1, 1, kinds[^1]), (x4, w1, 0, 1, 1, kinds[0]),
            (x8, w1, 2, 1, 1, kinds[0]), (tiny, w1, 2, 1, 1, kinds[0]), (x8, w1, 2, 1, 0, kinds[0]),
        };
        foreach ((Tensor x, Tensor w, int stride, int dilation, int padding, KernelKind kind) in calls)
        {
            var route = new Convolution.Route(Convolution.Path.Fast, kind, 1);
            string what = $"stride {stride}, dilation {dilation}, padding {padding}, input {Tensor.ShapeText(x.Shape)}, {kind}";
            if (stride == 0)
            {
                Tensor forward = Convolution.Forward("Conv2d", false, x, w, null, (1, 1), (padding, padding), (dilation, dilation), 1, PaddingMode.Zeros, route);
                AssertSame(ConvolutionReference.Conv2d(x, w, null, (1, 1), (padding, padding), (dilation, dilation), 1), forward, "forward, " + what);
                continue;
            }
            Tensor fast = Convolution.Transposed("ConvTranspose2d", false, x, w, null, (stride, stride), (padding, padding), (0, 0), (dilation, dilation), 1, route);
            AssertSame(ConvolutionReference.ConvTranspose2d(x, w, null, (stride, stride), (padding, padding), (0, 0), (dilation, dilation), 1), fast, what);
        }
    }

    [Fact]
    public void Conv2d_StemSizedCallEqualsReference()
    {
        var rng = new Random(7);
        Tensor x = Random(rng, [1, 3, 40, 44]);
        Tensor w = Random(rng, [10, 3, 7, 7]);
        Tensor fast = Convolution.Conv2d(x, w, null, (2, 2), (3, 3));
        AssertSame(ConvolutionReference.Conv2d(x, w, null, (2, 2), (3, 3)), fast, "stem");
    }

    [Fact]
    public void PublicCalls_UseTheFastPathAndAgreeWithTheReference()
    {
        var rng = new Random(3);
        Tensor x = Random(rng, [2, 8, 20, 20]);
        Tensor w = Random(rng, [8, 8, 3, 3]);
        AssertSame(ConvolutionReference.Conv2d(x, w, padding: (1, 1)), Convolution.Conv2d(x, w, padding: (1, 1)), "conv2d");
        AssertSame(ConvolutionReference.ConvTranspose2d(x, w, stride: (2, 2)), Convolution.ConvTranspose2d(x, w, stride: (2, 2)), "conv_transpose2d");
        Tensor s = Random(rng, [2, 8, 300]);
        Tensor k = Random(rng, [8, 8, 5]);
        AssertSame(ConvolutionReference.Conv1d(s, k, padding: 2), Convolution.Conv1d(s, k, padding: 2), "conv1d");
        AssertSame(ConvolutionReference.ConvTranspose1d(s, k, stride: 3), Convolution.ConvTranspose1d(s, k, stride: 3), "conv_transpose1d");
    }

    [Fact]
    public void MaxDegreeOfParallelism_RejectsZeroAndKeepsItsValue()
    {
        int before = Convolution.MaxDegreeOfParallelism;
        Assert.True(before >= 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Convolution.MaxDegreeOfParallelism = 0);
        Assert.Equal(before, Convolution.MaxDegreeOfParallelism);
    }

    public static TheoryData<string, string> ConvFixtures()
    {
        var rows = new TheoryData<string, string>();
        foreach (string op in new[] { "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d" })
        {
            rows.Add(op, nameof(Convolution.Path.Fast));
            rows.Add(op, nameof(Convolution.Path.Small));
        }
        return rows;
    }

    /// <summary>Every PyTorch fixture of <paramref name="op"/>, forced through the fast kernels (or the small loops) whatever its size.</summary>
    [Theory]
    [MemberData(nameof(ConvFixtures))]
    public void TorchFixtures_MatchThroughEachPath(string op, string pathName)
    {
        var path = Enum.Parse<Convolution.Path>(pathName);
        int checkedCases = 0;
        foreach (string name in GoldenFixture.NamesOf(op))
        {
            JsonElement c = GoldenFixture.Get(name);
            if (c.TryGetProperty("error", out _) || !c.TryGetProperty("output", out JsonElement expected)) continue;
            Tensor input = Read(c.GetProperty("input")), weight = Read(c.GetProperty("weight"));
            Tensor? bias = c.GetProperty("bias").ValueKind == JsonValueKind.Null ? null : Read(c.GetProperty("bias"));
            bool oneD = op.EndsWith("1d", StringComparison.Ordinal);
            int groups = c.GetProperty("groups").GetInt32();
            KernelKind[] kinds = path != Convolution.Path.Fast ? [KernelKind.Portable]
                : Vector512.IsHardwareAccelerated ? [KernelKind.Vector512, KernelKind.Portable] : [KernelKind.Portable];
            foreach (KernelKind kind in kinds)
            {
                var route = new Convolution.Route(path, kind, 2);
                Tensor actual = op.StartsWith("conv_transpose", StringComparison.Ordinal)
                    ? Convolution.Transposed(op, oneD, input, weight, bias, Pair(c, "stride", oneD, 1), Pair(c, "padding", oneD, 0),
                        Pair(c, "output_padding", oneD, 0), Pair(c, "dilation", oneD, 1), groups, route)
                    : Convolution.Forward(op, oneD, input, weight, bias, Pair(c, "stride", oneD, 1), Pair(c, "padding", oneD, 0),
                        Pair(c, "dilation", oneD, 1), groups, Mode(c.GetProperty("padding_mode").GetString()), route);
                AssertSame(Read(expected), actual, $"{name} ({kind})");
            }
            checkedCases++;
        }
        Assert.True(checkedCases >= 50, $"only {checkedCases} '{op}' fixtures were checked");
    }

    /// <summary>A fixture's (height, width) parameter; a 1-D call has height 1 and <paramref name="unit"/> as its height value.</summary>
    private static (int H, int W) Pair(JsonElement c, string property, bool oneD, int unit)
    {
        int[] values = c.GetProperty(property).EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return oneD ? (unit, values[0]) : (values[0], values[1]);
    }

    private static PaddingMode Mode(string? mode) => mode switch
    {
        "reflect" => PaddingMode.Reflect,
        "replicate" => PaddingMode.Replicate,
        "circular" => PaddingMode.Circular,
        "symmetric" => PaddingMode.Symmetric,
        _ => PaddingMode.Zeros,
    };

    private static Tensor Read(JsonElement json) =>
        new(json.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            json.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());

    internal static Tensor Random(Random rng, int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return new Tensor(shape, data);
    }

    internal static void AssertSame(Tensor expected, Tensor actual, string context)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
        {
            double tolerance = 2e-4 + 1e-4 * Math.Abs(e[i]);
            if (!(Math.Abs(e[i] - a[i]) <= tolerance))
            {
                Assert.Fail($"element {i}: expected {e[i]}, got {a[i]} (tolerance {tolerance:G3}) in {context}");
            }
        }
    }
}
