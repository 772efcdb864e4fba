using System.Globalization;
using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// One test per bad-input rule of the public entry points: each asserts the exact exception type,
/// that the parameter name and the message name the offending parameter, and that the message
/// carries the offending values. Two random sweeps then check that every parameter combination is
/// either accepted with the right shape or rejected with an <see cref="ArgumentException"/>, never
/// with an <see cref="IndexOutOfRangeException"/> or another crash.
/// </summary>
public sealed class BadInputTests
{
    /// <summary>An upper bound on what a rejected call may allocate: the exception and its message, never the result.</summary>
    private const long AllocationBudget = 1 << 20;

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// Asserts that <paramref name="call"/> throws exactly <typeparamref name="T"/>, whose parameter name
    /// starts with <paramref name="param"/> (so <c>stride</c> accepts <c>stride.H</c>, and an exact name such
    /// as <c>stride.W</c> pins the axis), and whose message contains every fragment.
    /// </summary>
    private static T Rejects<T>(Action call, string param, params string[] fragments) where T : ArgumentException
    {
        T ex = Assert.Throws<T>(call);
        Assert.True(ex.ParamName is not null && ex.ParamName.StartsWith(param, StringComparison.Ordinal),
            $"ParamName should name '{param}' but is '{ex.ParamName}'; message: {ex.Message}");
        Assert.Contains(param, ex.Message, StringComparison.Ordinal);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }
        return ex;
    }

    /// <summary>Like <see cref="Rejects{T}"/> for an <see cref="ArgumentOutOfRangeException"/> that also reports the offending value.</summary>
    private static void OutOfRange(Action call, string param, object actual, params string[] fragments)
    {
        ArgumentOutOfRangeException ex = Rejects<ArgumentOutOfRangeException>(call, param, fragments);
        Assert.Equal(actual, ex.ActualValue);
        Assert.Contains(Convert.ToString(actual, CultureInfo.InvariantCulture)!, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs a call that must be rejected before any work, so before allocating anything large.</summary>
    private static void Cheaply(Action call)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        call();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationBudget, $"the rejected call allocated {allocated:N0} bytes");
    }

    /// <summary>
    /// Asserts that a call whose result would not fit one float array throws exactly <see cref="ArgumentException"/>
    /// (not <see cref="OutOfMemoryException"/> or <see cref="OverflowException"/>) before allocating, with a parameter
    /// name and a message that gives the offending size.
    /// </summary>
    private static ArgumentException TooLarge(Action call, string size)
    {
        ArgumentException? ex = null;
        Cheaply(() => ex = Assert.Throws<ArgumentException>(call));
        Assert.False(string.IsNullOrEmpty(ex!.ParamName), $"no parameter name; message: {ex.Message}");
        Assert.Contains(size, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Tensor Ones(params int[] shape) => Tensor.Full(shape, 1f);

    private static readonly string[] ConvNames = ["Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"];

    public static readonly TheoryData<string> AllConvs = new(ConvNames);
    public static readonly TheoryData<string> ForwardConvs = new() { "Conv1d", "Conv2d" };
    public static readonly TheoryData<string> TransposedConvs = new() { "ConvTranspose1d", "ConvTranspose2d" };

    private static bool IsOneD(string op) => op.EndsWith("1d", StringComparison.Ordinal);

    private static bool IsTransposed(string op) => op.StartsWith("ConvTranspose", StringComparison.Ordinal);

    /// <summary>An input of the op's layout: (N, C, H, W) or (N, C, W).</summary>
    private static Tensor Input(string op, int n, int c, int h, int w) => IsOneD(op) ? Ones(n, c, w) : Ones(n, c, h, w);

    /// <summary>A weight of the op's layout: (a, b, kh, kw) or (a, b, kw).</summary>
    private static Tensor Weight(string op, int a, int b, int kh, int kw) => IsOneD(op) ? Ones(a, b, kw) : Ones(a, b, kh, kw);

    /// <summary>The parameter name of one axis as the op reports it: <c>stride</c> in 1-D, <c>stride.H</c> or <c>stride.W</c> in 2-D.</summary>
    private static string Axis(string op, string param, char axis) => IsOneD(op) ? param : $"{param}.{axis}";

    /// <summary>A pair with <paramref name="value"/> on the given axis and <paramref name="other"/> on the other.</summary>
    private static (int H, int W) On(char axis, int value, int other) => axis == 'H' ? (value, other) : (other, value);

    /// <summary>Calls one of the four convolutions; 1-D ops take the W component of each pair.</summary>
    private static Tensor Run(string op, Tensor input, Tensor weight, Tensor? bias = null,
        (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? dilation = null,
        int groups = 1, (int H, int W)? outputPadding = null, PaddingMode mode = PaddingMode.Zeros) => op switch
        {
            "Conv1d" => Convolution.Conv1d(input, weight, bias, stride?.W ?? 1, padding?.W ?? 0, dilation?.W ?? 1, groups, mode),
            "Conv2d" => Convolution.Conv2d(input, weight, bias, stride, padding, dilation, groups, mode),
            "ConvTranspose1d" => Convolution.ConvTranspose1d(input, weight, bias, stride?.W ?? 1, padding?.W ?? 0,
                outputPadding?.W ?? 0, dilation?.W ?? 1, groups),
            "ConvTranspose2d" => Convolution.ConvTranspose2d(input, weight, bias, stride, padding, outputPadding, dilation, groups),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
        };

    // ---------------------------------------------------------------- Tensor constructor

    [Fact]
    public void Tensor_DataLengthNotProductOfShape_Throws()
    {
        Rejects<ArgumentException>(() => _ = new Tensor([2, 3], new float[5]), "data", "(2, 3)", "6", "5");
        Rejects<ArgumentException>(() => _ = new Tensor([2, 3], new float[7]), "data", "(2, 3)", "6", "7");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Tensor_NegativeDimension_Throws(int size)
    {
        Rejects<ArgumentException>(() => _ = new Tensor([2, size], new float[2]), "shape", $"(2, {N(size)})", N(size), "at least 0");
    }

    [Fact]
    public void EmptyRowsColumnsOrSamples_AreRefusedWhereThereIsNothingToWorkOn()
    {
        Tensor noRows = Tensor.Zeros(1, 3, 0, 8);
        Rejects<ArgumentException>(() => Interpolation.Interpolate(noRows, (2, 2)), "input", "(1, 3, 0, 8)", "dimension 2");
        Rejects<ArgumentException>(() => FractionalStride.InsertZeros(noRows, (2, 2)), "input", "(1, 3, 0, 8)");
        Rejects<ArgumentException>(() => FractionalStride.InsertZeros(Tensor.Zeros(2, 0), 2), "input", "(2, 0)");
        Rejects<ArgumentException>(() => Sampling.Roll(noRows, (1, 1)), "input", "(1, 3, 0, 8)");
        Rejects<ArgumentException>(() => Redundancy.Correlation(Tensor.Zeros(0, 8), 1), "signals", "(0, 8)");
        Rejects<ArgumentException>(() => Redundancy.MidpointError(Tensor.Zeros(0, 8)), "signals", "(0, 8)");
        Rejects<ArgumentException>(() => Decimation.Response(Tensor.Zeros(0), 16000), "kernel", "(0,)");
        // A batch of none is no error where PyTorch allows it.
        Assert.Equal([0, 3, 16, 16], Interpolation.Interpolate(Tensor.Zeros(0, 3, 8, 8), (2, 2)).Shape);
        Assert.Equal([0, 3, 15, 15], FractionalStride.InsertZeros(Tensor.Zeros(0, 3, 8, 8), (2, 2)).Shape);
    }

    [Fact]
    public void Tensor_EmptyDimensionWithData_Throws()
    {
        Rejects<ArgumentException>(() => _ = new Tensor([2, 0], new float[2]), "data", "(2, 0)", "0", "2");
    }

    [Fact]
    public void Tensor_EmptyShape_ThrowsAsDocumented()
    {
        Rejects<ArgumentException>(() => _ = new Tensor([], [1f]), "shape");
    }

    [Theory]
    [InlineData(new[] { 65536, 65536, 2 }, "(65536, 65536, 2)")]
    [InlineData(new[] { int.MaxValue, int.MaxValue, int.MaxValue }, "(2147483647, 2147483647, 2147483647)")]
    [InlineData(new[] { 2, 1_073_741_824 }, "(2, 1073741824)")]
    public void Tensor_ElementCountPastArrayMaxLength_ThrowsQuicklyWithoutAllocating(int[] shape, string shapeText)
    {
        var data = new float[1];
        Cheaply(() => Rejects<ArgumentException>(() => _ = new Tensor(shape, data), "shape", shapeText));
    }

    [Fact]
    public void Tensor_NullArguments_Throw()
    {
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => _ = new Tensor(null!, [1f])).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => _ = new Tensor([1], null!)).ParamName);
    }

    [Fact]
    public void TensorFactories_ElementCountPastArrayMaxLength_ThrowQuicklyWithoutAllocating()
    {
        int[] shape = [65536, 65536, 2];
        Cheaply(() => Rejects<ArgumentException>(() => Tensor.Zeros(shape), "shape", "(65536, 65536, 2)"));
        Cheaply(() => Rejects<ArgumentException>(() => Tensor.Full(shape, 1f), "shape", "(65536, 65536, 2)"));
        Cheaply(() => Rejects<ArgumentException>(() => Tensor.Randn(0, shape), "shape", "(65536, 65536, 2)"));
        Cheaply(() => Rejects<ArgumentException>(() => Tensor.Rand(0, shape), "shape", "(65536, 65536, 2)"));
    }

    // ---------------------------------------------------------------- Reshape

    [Fact]
    public void Reshape_ElementCountMismatch_Throws()
    {
        Tensor x = Tensor.Arange(4);
        Rejects<ArgumentException>(() => x.Reshape(3, 3), "shape", "(3, 3)", "9", "(4,)", "4");
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, 0)]
    [InlineData(-2, -2)]
    [InlineData(-1, 0)]
    [InlineData(-4, -1)]
    public void Reshape_DimensionBelowOne_Throws(int a, int b)
    {
        Tensor x = Tensor.Arange(4);
        int bad = a < 1 && a != -1 ? a : b;
        Rejects<ArgumentException>(() => x.Reshape(a, b), "shape", $"({N(a)}, {N(b)})", N(bad));
    }

    [Fact]
    public void Reshape_TwoInferredDimensions_Throws()
    {
        Tensor x = Tensor.Arange(4);
        Rejects<ArgumentException>(() => x.Reshape(-1, -1), "shape", "(-1, -1)");
    }

    [Fact]
    public void Reshape_InferredDimensionNotWhole_Throws()
    {
        Tensor x = Tensor.Arange(4);
        Rejects<ArgumentException>(() => x.Reshape(-1, 3), "shape", "(-1, 3)", "4", "3");
    }

    [Fact]
    public void Reshape_ElementCountPastArrayMaxLength_Throws()
    {
        Tensor x = Tensor.Arange(4);
        Cheaply(() => Rejects<ArgumentException>(() => x.Reshape(65536, 65536, 2), "shape", "(65536, 65536, 2)"));
    }

    [Theory]
    [InlineData(new[] { -1, 65536, 65536, 65536 })]
    [InlineData(new[] { -1, 65536, 65536, 65536, 65536 })]
    [InlineData(new[] { 65536, -1, 65536, 65536, 65536 })]
    public void Reshape_InferredWithKnownDimensionsPastInt64_Throws(int[] shape)
    {
        Tensor x = Tensor.Arange(4);
        Cheaply(() => Rejects<ArgumentException>(() => x.Reshape(shape), "shape", Tensor.ShapeText(shape)));
    }

    [Fact]
    public void Reshape_Null_Throws()
    {
        Tensor x = Tensor.Arange(4);
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => x.Reshape(null!)).ParamName);
    }

    // ---------------------------------------------------------------- indexer and Size

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 0, 0, 0 })]
    public void Indexer_WrongNumberOfCoordinates_Throws(int[] index)
    {
        Tensor x = Tensor.Zeros(2, 3);
        Rejects<ArgumentException>(() => _ = x[index], "index", "(2, 3)", $"it has {N(index.Length)}");
    }

    [Theory]
    [InlineData(2, 0, 2)]
    [InlineData(-1, 0, -1)]
    [InlineData(0, 3, 3)]
    [InlineData(0, -1, -1)]
    [InlineData(int.MaxValue, 0, int.MaxValue)]
    [InlineData(0, int.MinValue, int.MinValue)]
    public void Indexer_CoordinateOutOfRange_Throws(int i, int j, int bad)
    {
        Tensor x = Tensor.Zeros(2, 3);
        OutOfRange(() => _ = x[i, j], "index", bad, "(2, 3)");
    }

    [Fact]
    public void Indexer_Null_Throws()
    {
        Tensor x = Tensor.Zeros(2, 3);
        Assert.Equal("index", Assert.Throws<ArgumentNullException>(() => _ = x[null!]).ParamName);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-3)]
    public void Size_DimensionOutOfRange_Throws(int dim)
    {
        Tensor x = Tensor.Zeros(2, 3);
        OutOfRange(() => x.Size(dim), "dim", dim);
    }

    // ---------------------------------------------------------------- Padding.Pad

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Pad_OddNumberOfPads_Throws(int count)
    {
        Tensor x = Tensor.Zeros(3, 2);
        Rejects<ArgumentException>(() => Padding.Pad(x, new int[count]), "pads", $"pads has {N(count)}", "(3, 2)");
    }

    [Fact]
    public void Pad_MorePairsThanDimensions_Throws()
    {
        Tensor x = Tensor.Zeros(3, 2);
        Rejects<ArgumentException>(() => Padding.Pad(x, [1, 1, 1, 1, 1, 1]), "pads", "pads has 6", "(3, 2)", "2 to 4");
    }

    [Fact]
    public void Pad_EmptyPads_Throws()
    {
        Tensor x = Tensor.Zeros(3, 2);
        Rejects<ArgumentException>(() => Padding.Pad(x, []), "pads", "pads has 0");
    }

    [Theory]
    [InlineData(0, PaddingMode.Zeros)]
    [InlineData(1, PaddingMode.Zeros)]
    [InlineData(2, PaddingMode.Reflect)]
    [InlineData(3, PaddingMode.Replicate)]
    [InlineData(0, PaddingMode.Circular)]
    [InlineData(3, PaddingMode.Symmetric)]
    public void Pad_NegativePad_Throws(int position, PaddingMode mode)
    {
        Tensor x = Tensor.Zeros(3, 2);
        int[] pads = [0, 0, 0, 0];
        pads[position] = -1;
        OutOfRange(() => Padding.Pad(x, pads, mode), "pads", -1, $"pads[{position}]");
    }

    [Theory]
    [InlineData(new[] { 0, 3 }, 3, "width 2")]
    [InlineData(new[] { 2, 0 }, 2, "width 2")]
    [InlineData(new[] { 0, 0, 3, 0 }, 3, "height 3")]
    [InlineData(new[] { 0, 0, 0, 4 }, 4, "height 3")]
    public void Pad_ReflectPadNotLessThanSize_Throws(int[] pads, int pad, string dim)
    {
        Tensor x = Tensor.Zeros(3, 2);
        OutOfRange(() => Padding.Pad(x, pads, PaddingMode.Reflect), "pads", pad,
            $"Reflect padding {pad}", $"must be less than the input {dim}");
    }

    [Theory]
    [InlineData(PaddingMode.Circular, new[] { 0, 3 }, 3, "width 2")]
    [InlineData(PaddingMode.Circular, new[] { 0, 0, 4, 0 }, 4, "height 3")]
    [InlineData(PaddingMode.Symmetric, new[] { 3, 0 }, 3, "width 2")]
    [InlineData(PaddingMode.Symmetric, new[] { 0, 0, 0, 4 }, 4, "height 3")]
    public void Pad_CircularOrSymmetricPadGreaterThanSize_Throws(PaddingMode mode, int[] pads, int pad, string dim)
    {
        Tensor x = Tensor.Zeros(3, 2);
        OutOfRange(() => Padding.Pad(x, pads, mode), "pads", pad, $"{mode} padding {pad}", $"must be at most the input {dim}");
    }

    [Theory]
    [InlineData(PaddingMode.Reflect, 1, 2)]
    [InlineData(PaddingMode.Circular, 2, 3)]
    [InlineData(PaddingMode.Symmetric, 2, 3)]
    [InlineData(PaddingMode.Replicate, 50, 50)]
    [InlineData(PaddingMode.Zeros, 50, 50)]
    public void Pad_PadAtTheModeLimit_IsAccepted(PaddingMode mode, int padW, int padH)
    {
        Tensor x = Tensor.Zeros(3, 2);
        Tensor y = Padding.Pad(x, [padW, padW, padH, padH], mode);
        Assert.Equal(new[] { 3 + 2 * padH, 2 + 2 * padW }, y.Shape);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    [InlineData(99)]
    public void Pad_UndefinedMode_Throws(int mode)
    {
        Tensor x = Tensor.Zeros(3, 2);
        OutOfRange(() => Padding.Pad(x, [1, 1], (PaddingMode)mode), "mode", (PaddingMode)mode, N(mode));
    }

    [Theory]
    [InlineData(PaddingMode.Zeros)]
    [InlineData(PaddingMode.Replicate)]
    public void Pad_ResultPastArrayMaxLength_ThrowsArgumentExceptionNamingTheSize(PaddingMode mode)
    {
        Tensor x = Tensor.Zeros(2, 2);
        ArgumentException ex = TooLarge(() => Padding.Pad(x, [60000, 60000, 60000, 60000], mode), "(120002, 120002)");
        Assert.Equal("pads", ex.ParamName);
    }

    [Fact]
    public void Pad_PadsPastInt32Range_ThrowsArgumentExceptionNamingTheSize()
    {
        Tensor x = Tensor.Zeros(1);
        ArgumentException ex = TooLarge(() => Padding.Pad(x, [int.MaxValue, int.MaxValue]), "4294967295");
        Assert.Equal("pads", ex.ParamName);
    }

    [Fact]
    public void Pad_NullArguments_Throw()
    {
        Assert.Equal("input", Assert.Throws<ArgumentNullException>(() => Padding.Pad(null!, [1, 1])).ParamName);
        Assert.Equal("pads", Assert.Throws<ArgumentNullException>(() => Padding.Pad(Tensor.Zeros(2), null!)).ParamName);
    }

    // ---------------------------------------------------------------- convolution: ranks, channels, groups, bias

    [Theory]
    [InlineData("Conv1d", new[] { 4 })]
    [InlineData("Conv1d", new[] { 1, 1, 1, 4 })]
    [InlineData("Conv2d", new[] { 4, 4 })]
    [InlineData("Conv2d", new[] { 1, 1, 1, 4, 4 })]
    [InlineData("ConvTranspose1d", new[] { 4 })]
    [InlineData("ConvTranspose1d", new[] { 1, 1, 1, 4 })]
    [InlineData("ConvTranspose2d", new[] { 4, 4 })]
    [InlineData("ConvTranspose2d", new[] { 1, 1, 1, 4, 4 })]
    public void Conv_InputOfWrongRank_Throws(string op, int[] inputShape)
    {
        Tensor w = Weight(op, 1, 1, 1, 1);
        Rejects<ArgumentException>(() => Run(op, Ones(inputShape), w), "input", op, Tensor.ShapeText(inputShape));
    }

    [Theory]
    [InlineData("Conv1d", new[] { 1, 1 })]
    [InlineData("Conv1d", new[] { 1, 1, 1, 1 })]
    [InlineData("Conv2d", new[] { 1, 1, 1 })]
    [InlineData("Conv2d", new[] { 1, 1, 1, 1, 1 })]
    [InlineData("ConvTranspose1d", new[] { 1, 1 })]
    [InlineData("ConvTranspose1d", new[] { 1, 1, 1, 1 })]
    [InlineData("ConvTranspose2d", new[] { 1, 1, 1 })]
    [InlineData("ConvTranspose2d", new[] { 1, 1, 1, 1, 1 })]
    public void Conv_WeightOfWrongRank_Throws(string op, int[] weightShape)
    {
        Tensor x = Input(op, 1, 1, 4, 4);
        Rejects<ArgumentException>(() => Run(op, x, Ones(weightShape)), "weight", op, Tensor.ShapeText(weightShape));
    }

    [Theory]
    [MemberData(nameof(AllConvs))]
    public void Conv_ChannelsNotDivisibleByGroups_Throws(string op)
    {
        Tensor x = Input(op, 1, 3, 4, 4);
        Tensor w = IsTransposed(op) ? Weight(op, 3, 1, 1, 1) : Weight(op, 2, 1, 1, 1);
        Rejects<ArgumentException>(() => Run(op, x, w, groups: 2), "groups", "3 channels", "groups is 2");
    }

    [Theory]
    [MemberData(nameof(ForwardConvs))]
    public void Conv_OutChannelsNotDivisibleByGroups_Throws(string op)
    {
        Tensor x = Input(op, 1, 4, 4, 4);
        Tensor w = Weight(op, 3, 2, 1, 1);
        Rejects<ArgumentException>(() => Run(op, x, w, groups: 2), "groups", "3 output channels", "groups is 2");
    }

    [Theory]
    [MemberData(nameof(ForwardConvs))]
    public void Conv_WeightInChannelsNotInputChannelsOverGroups_Throws(string op)
    {
        Tensor x = Input(op, 1, 4, 4, 4);
        Tensor w = Weight(op, 2, 3, 1, 1);
        Rejects<ArgumentException>(() => Run(op, x, w, groups: 2), "weight", "4 / 2 = 2", Tensor.ShapeText(w.Shape));
    }

    [Theory]
    [MemberData(nameof(TransposedConvs))]
    public void ConvTranspose_WeightFirstDimensionNotInputChannels_Throws(string op)
    {
        Tensor x = Input(op, 1, 4, 4, 4);
        Tensor w = Weight(op, 3, 1, 1, 1);
        Rejects<ArgumentException>(() => Run(op, x, w), "weight", "input channels 4", Tensor.ShapeText(w.Shape));
    }

    [Theory]
    [MemberData(nameof(AllConvs))]
    public void Conv_BiasLengthNotOutChannels_Throws(string op)
    {
        Tensor x = Input(op, 1, 2, 4, 4);
        Tensor w = Weight(op, 2, IsTransposed(op) ? 3 : 2, 1, 1);
        int outChannels = IsTransposed(op) ? 3 : 2;
        Rejects<ArgumentException>(() => Run(op, x, w, bias: Tensor.Zeros(5)), "bias", $"length {outChannels}", "5 elements");
    }

    [Theory]
    [MemberData(nameof(AllConvs))]
    public void Conv_BiasOfRankTwo_Throws(string op)
    {
        Tensor x = Input(op, 1, 2, 4, 4);
        Tensor w = Weight(op, 2, 2, 1, 1);
        Rejects<ArgumentException>(() => Run(op, x, w, bias: Tensor.Zeros(2, 1)), "bias", "rank 2");
    }

    [Theory]
    [InlineData("Conv1d", 0)]
    [InlineData("Conv2d", 0)]
    [InlineData("ConvTranspose1d", -1)]
    [InlineData("ConvTranspose2d", int.MinValue)]
    public void Conv_GroupsBelowOne_Throws(string op, int groups)
    {
        Tensor x = Input(op, 1, 2, 4, 4);
        Tensor w = Weight(op, 2, 2, 1, 1);
        OutOfRange(() => Run(op, x, w, groups: groups), "groups", groups);
    }

    [Theory]
    [MemberData(nameof(AllConvs))]
    public void Conv_NullArguments_Throw(string op)
    {
        Tensor x = Input(op, 1, 1, 4, 4);
        Tensor w = Weight(op, 1, 1, 1, 1);
        Assert.Equal("input", Assert.Throws<ArgumentNullException>(() => Run(op, null!, w)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentNullException>(() => Run(op, x, null!)).ParamName);
    }

    // ---------------------------------------------------------------- convolution: stride, dilation, padding

    public static TheoryData<string, char, int> EveryAxisBelowOne()
    {
        var data = new TheoryData<string, char, int>();
        foreach (string op in ConvNames)
        {
            foreach (char axis in IsOneD(op) ? new[] { 'W' } : new[] { 'H', 'W' })
            {
                data.Add(op, axis, 0);
                data.Add(op, axis, -1);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryAxisBelowOne))]
    public void Conv_StrideBelowOne_Throws(string op, char axis, int stride)
    {
        Tensor x = Input(op, 1, 1, 4, 4);
        Tensor w = Weight(op, 1, 1, 2, 2);
        OutOfRange(() => Run(op, x, w, stride: On(axis, stride, 1)), Axis(op, "stride", axis), stride);
    }

    [Theory]
    [MemberData(nameof(EveryAxisBelowOne))]
    public void Conv_DilationBelowOne_Throws(string op, char axis, int dilation)
    {
        Tensor x = Input(op, 1, 1, 4, 4);
        Tensor w = Weight(op, 1, 1, 2, 2);
        OutOfRange(() => Run(op, x, w, dilation: On(axis, dilation, 1)), Axis(op, "dilation", axis), dilation);
    }

    public static TheoryData<string, char, PaddingMode> EveryAxisAndMode()
    {
        var data = new TheoryData<string, char, PaddingMode>();
        foreach (string op in ConvNames)
        {
            foreach (char axis in IsOneD(op) ? new[] { 'W' } : new[] { 'H', 'W' })
            {
                foreach (PaddingMode mode in IsTransposed(op) ? [PaddingMode.Zeros] : Enum.GetValues<PaddingMode>())
                {
                    data.Add(op, axis, mode);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryAxisAndMode))]
    public void Conv_NegativePadding_Throws(string op, char axis, PaddingMode mode)
    {
        Tensor x = Input(op, 1, 1, 4, 4);
        Tensor w = Weight(op, 1, 1, 2, 2);
        OutOfRange(() => Run(op, x, w, padding: On(axis, -1, 0), mode: mode), Axis(op, "padding", axis), -1);
    }

    [Theory]
    [InlineData("Conv1d", 'W', 3, "Reflect padding 3", "must be less than the input length 2")]
    [InlineData("Conv1d", 'W', 2, "Reflect padding 2", "must be less than the input length 2")]
    [InlineData("Conv2d", 'W', 3, "Reflect padding 3", "must be less than the input width 2")]
    [InlineData("Conv2d", 'W', 2, "Reflect padding 2", "must be less than the input width 2")]
    [InlineData("Conv2d", 'H', 3, "Reflect padding 3", "must be less than the input height 3")]
    public void Conv_ReflectPaddingNotLessThanSize_Throws(string op, char axis, int padding, string modeAndPad, string limit)
    {
        Tensor x = Input(op, 1, 1, 3, 2);
        Tensor w = Weight(op, 1, 1, 1, 1);
        OutOfRange(() => Run(op, x, w, padding: On(axis, padding, 0), mode: PaddingMode.Reflect),
            Axis(op, "padding", axis), padding, modeAndPad, limit);
    }

    [Theory]
    [InlineData(PaddingMode.Circular, "Conv1d", 'W', 3, "length 2")]
    [InlineData(PaddingMode.Circular, "Conv2d", 'W', 3, "width 2")]
    [InlineData(PaddingMode.Circular, "Conv2d", 'H', 4, "height 3")]
    [InlineData(PaddingMode.Symmetric, "Conv1d", 'W', 3, "length 2")]
    [InlineData(PaddingMode.Symmetric, "Conv2d", 'W', 3, "width 2")]
    [InlineData(PaddingMode.Symmetric, "Conv2d", 'H', 4, "height 3")]
    public void Conv_CircularOrSymmetricPaddingGreaterThanSize_Throws(PaddingMode mode, string op, char axis, int padding, string dim)
    {
        Tensor x = Input(op, 1, 1, 3, 2);
        Tensor w = Weight(op, 1, 1, 1, 1);
        OutOfRange(() => Run(op, x, w, padding: On(axis, padding, 0), mode: mode),
            Axis(op, "padding", axis), padding, $"{mode} padding {padding}", $"must be at most the input {dim}");
    }

    [Theory]
    [InlineData(PaddingMode.Reflect, 2, 1)]
    [InlineData(PaddingMode.Circular, 3, 2)]
    [InlineData(PaddingMode.Symmetric, 3, 2)]
    [InlineData(PaddingMode.Replicate, 9, 9)]
    public void Conv2d_PaddingAtTheModeLimit_IsAccepted(PaddingMode mode, int padH, int padW)
    {
        Tensor x = Ones(1, 1, 3, 2);
        Tensor y = Convolution.Conv2d(x, Ones(1, 1, 1, 1), padding: (padH, padW), paddingMode: mode);
        Assert.Equal(new[] { 1, 1, 3 + 2 * padH, 2 + 2 * padW }, y.Shape);
    }

    [Theory]
    [InlineData("Conv1d", 5)]
    [InlineData("Conv2d", 5)]
    [InlineData("Conv2d", -1)]
    [InlineData("Conv2d", 99)]
    public void Conv_UndefinedPaddingMode_Throws(string op, int mode)
    {
        Tensor x = Input(op, 1, 1, 4, 4);
        Tensor w = Weight(op, 1, 1, 1, 1);
        OutOfRange(() => Run(op, x, w, padding: (1, 1), mode: (PaddingMode)mode), "paddingMode", (PaddingMode)mode, N(mode));
    }

    [Theory]
    [InlineData("Conv1d", 'W', 3, 5, 0, 1, 5, 3)]
    [InlineData("Conv1d", 'W', 3, 2, 0, 4, 5, 3)]
    [InlineData("Conv1d", 'W', 1, 4, 1, 1, 4, 3)]
    [InlineData("Conv2d", 'W', 3, 5, 0, 1, 5, 3)]
    [InlineData("Conv2d", 'H', 3, 5, 0, 1, 5, 3)]
    [InlineData("Conv2d", 'H', 3, 2, 0, 4, 5, 3)]
    [InlineData("Conv2d", 'W', 1, 4, 1, 1, 4, 3)]
    public void Conv_KernelDoesNotFitPaddedInput_Throws(string op, char axis, int size, int kernel, int padding, int dilation, int extent, int padded)
    {
        Tensor x = Input(op, 1, 1, axis == 'H' ? size : 8, axis == 'W' ? size : 8);
        Tensor w = Weight(op, 1, 1, axis == 'H' ? kernel : 1, axis == 'W' ? kernel : 1);
        Rejects<ArgumentException>(() => Run(op, x, w, padding: On(axis, padding, 0), dilation: On(axis, dilation, 1)),
            "weight", "kernel", $"= {N(extent)}", $"= {N(padded)}");
    }

    [Theory]
    [InlineData(PaddingMode.Reflect)]
    [InlineData(PaddingMode.Replicate)]
    [InlineData(PaddingMode.Circular)]
    public void Conv2d_KernelDoesNotFitInputPaddedInMode_Throws(PaddingMode mode)
    {
        Tensor x = Ones(1, 1, 2, 2);
        Tensor w = Ones(1, 1, 1, 5);
        Rejects<ArgumentException>(() => Convolution.Conv2d(x, w, padding: (1, 1), paddingMode: mode), "weight", "kernel", "= 5", "= 4");
    }

    // ---------------------------------------------------------------- transposed convolution: output padding and size

    [Theory]
    [InlineData("ConvTranspose1d", 'W', 2, 1, 2)]
    [InlineData("ConvTranspose1d", 'W', 1, 3, 3)]
    [InlineData("ConvTranspose1d", 'W', 1, 1, 1)]
    [InlineData("ConvTranspose2d", 'H', 2, 1, 2)]
    [InlineData("ConvTranspose2d", 'W', 2, 1, 5)]
    [InlineData("ConvTranspose2d", 'W', 2, 3, 3)]
    [InlineData("ConvTranspose2d", 'H', 1, 1, 1)]
    public void ConvTranspose_OutputPaddingNotBelowMaxOfStrideAndDilation_Throws(string op, char axis, int stride, int dilation, int outputPadding)
    {
        Tensor x = Input(op, 1, 1, 3, 3);
        Tensor w = Weight(op, 1, 1, 2, 2);
        int limit = Math.Max(stride, dilation);
        OutOfRange(() => Run(op, x, w, stride: On(axis, stride, 1), dilation: On(axis, dilation, 1), outputPadding: On(axis, outputPadding, 0)),
            Axis(op, "outputPadding", axis), outputPadding, $"= {N(limit)}");
    }

    [Theory]
    [InlineData("ConvTranspose1d", 'W')]
    [InlineData("ConvTranspose2d", 'H')]
    [InlineData("ConvTranspose2d", 'W')]
    public void ConvTranspose_NegativeOutputPadding_Throws(string op, char axis)
    {
        Tensor x = Input(op, 1, 1, 3, 3);
        Tensor w = Weight(op, 1, 1, 2, 2);
        OutOfRange(() => Run(op, x, w, stride: (2, 2), outputPadding: On(axis, -1, 0)), Axis(op, "outputPadding", axis), -1);
    }

    [Theory]
    [InlineData("ConvTranspose1d", 2, 1, 1, 0)]
    [InlineData("ConvTranspose1d", 2, 2, 3, 1)]
    [InlineData("ConvTranspose2d", 2, 1, 1, 0)]
    [InlineData("ConvTranspose2d", 2, 2, 3, 1)]
    public void ConvTranspose_OutputPaddingBelowMaxOfStrideAndDilation_IsAccepted(string op, int size, int stride, int dilation, int outputPadding)
    {
        Tensor x = Input(op, 1, 1, size, size);
        Tensor w = Weight(op, 1, 1, 1, 1);
        Tensor y = Run(op, x, w, stride: (stride, stride), dilation: (dilation, dilation), outputPadding: (outputPadding, outputPadding));
        Assert.Equal((size - 1) * stride + outputPadding + 1, y.Size(-1));
    }

    [Theory]
    [InlineData("ConvTranspose1d", 'W', 1, 1, 1, -1)]
    [InlineData("ConvTranspose1d", 'W', 2, 2, 2, -1)]
    [InlineData("ConvTranspose2d", 'H', 1, 1, 1, -1)]
    [InlineData("ConvTranspose2d", 'W', 1, 1, 1, -1)]
    [InlineData("ConvTranspose2d", 'W', 2, 2, 3, -3)]
    public void ConvTranspose_PaddingRemovesTheWholeOutput_Throws(string op, char axis, int size, int kernel, int padding, int output)
    {
        Tensor x = Input(op, 1, 1, axis == 'H' ? size : 4, axis == 'W' ? size : 4);
        Tensor w = Weight(op, 1, 1, axis == 'H' ? kernel : 1, axis == 'W' ? kernel : 1);
        Rejects<ArgumentException>(() => Run(op, x, w, padding: On(axis, padding, 0)), Axis(op, "padding", axis),
            $"= {N(output)}", "at least 1");
    }

    // ---------------------------------------------------------------- results past Array.MaxLength

    [Theory]
    [InlineData(int.MaxValue, 1, "2147483648")]
    [InlineData(1, int.MaxValue, "2147483648")]
    [InlineData(1 << 30, 1 << 30, "1073741825")]
    public void ConvTranspose2d_HugeStride_ThrowsArgumentExceptionNamingTheSize(int strideH, int strideW, string size)
    {
        Tensor x = Ones(1, 1, 2, 2);
        Tensor w = Ones(1, 1, 1, 1);
        TooLarge(() => Convolution.ConvTranspose2d(x, w, stride: (strideH, strideW)), size);
    }

    [Fact]
    public void ConvTranspose1d_HugeStride_ThrowsArgumentExceptionNamingTheSize()
    {
        Tensor x = Ones(1, 1, 3);
        Tensor w = Ones(1, 1, 1);
        TooLarge(() => Convolution.ConvTranspose1d(x, w, stride: int.MaxValue), "4294967295");
    }

    [Theory]
    [InlineData(1 << 30, 0, "2147483649")]
    [InlineData(0, 1 << 30, "2147483649")]
    [InlineData(30000, 30000, "60001")]
    [InlineData(int.MaxValue, 0, "4294967295")]
    public void Conv2d_HugePadding_ThrowsArgumentExceptionNamingTheSize(int padH, int padW, string size)
    {
        Tensor x = Ones(1, 1, 1, 1);
        Tensor w = Ones(1, 1, 1, 1);
        TooLarge(() => Convolution.Conv2d(x, w, padding: (padH, padW)), size);
    }

    [Fact]
    public void Conv1d_HugePadding_ThrowsArgumentExceptionNamingTheSize()
    {
        Tensor x = Ones(1, 1, 1);
        Tensor w = Ones(1, 1, 1);
        TooLarge(() => Convolution.Conv1d(x, w, padding: 1 << 30), "2147483649");
    }

    [Fact]
    public void Conv2d_ReplicatePaddedInputPastArrayMaxLength_ThrowsArgumentExceptionNamingPadding()
    {
        // The output, (1, 1, 20000, 20000), fits one array; the padded input, (1, 1, 80001, 80001), does not.
        Tensor x = Ones(1, 1, 1, 1);
        Tensor w = Ones(1, 1, 4, 4);
        ArgumentException ex = TooLarge(
            () => Convolution.Conv2d(x, w, stride: (4, 4), padding: (40000, 40000), paddingMode: PaddingMode.Replicate), "80001");
        Assert.True(ex.ParamName!.StartsWith("padding", StringComparison.Ordinal),
            $"Conv2d has no parameter '{ex.ParamName}'; the message should name padding; message: {ex.Message}");
    }

    // ---------------------------------------------------------------- ConvShape

    [Theory]
    [InlineData("size", 0, 1, 0, 1, 1)]
    [InlineData("kernel", 4, 0, 0, 1, 1)]
    [InlineData("padding", 4, 1, -1, 1, 1)]
    [InlineData("stride", 4, 1, 0, 0, 1)]
    [InlineData("stride", 4, 1, 0, -3, 1)]
    [InlineData("dilation", 4, 1, 0, 1, 0)]
    public void ConvShapeOutput_ParameterOutOfRange_Throws(string param, int size, int kernel, int padding, int stride, int dilation)
    {
        int bad = param switch { "size" => size, "kernel" => kernel, "padding" => padding, "stride" => stride, _ => dilation };
        OutOfRange(() => ConvShape.Output(size, kernel, padding, stride, dilation), param, bad);
    }

    [Theory]
    [InlineData(3, 5, 0, 1, 5, 3)]
    [InlineData(3, 2, 0, 4, 5, 3)]
    [InlineData(1, 4, 1, 1, 4, 3)]
    public void ConvShapeOutput_KernelDoesNotFitPaddedInput_Throws(int size, int kernel, int padding, int dilation, int extent, int padded)
    {
        Rejects<ArgumentException>(() => ConvShape.Output(size, kernel, padding, 1, dilation), "kernel", $"= {N(extent)}", $"= {N(padded)}");
    }

    [Theory]
    [InlineData("size", 0, 1, 0, 1, 0, 1)]
    [InlineData("kernel", 4, 0, 0, 1, 0, 1)]
    [InlineData("padding", 4, 1, -1, 1, 0, 1)]
    [InlineData("stride", 4, 1, 0, 0, 0, 1)]
    [InlineData("outputPadding", 4, 1, 0, 2, -1, 1)]
    [InlineData("dilation", 4, 1, 0, 1, 0, 0)]
    public void ConvShapeTransposedOutput_ParameterOutOfRange_Throws(string param, int size, int kernel, int padding, int stride, int outputPadding, int dilation)
    {
        int bad = param switch
        {
            "size" => size, "kernel" => kernel, "padding" => padding, "stride" => stride, "outputPadding" => outputPadding, _ => dilation,
        };
        OutOfRange(() => ConvShape.TransposedOutput(size, kernel, padding, stride, outputPadding, dilation), param, bad);
    }

    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(1, 1, 1)]
    [InlineData(1, 3, 3)]
    [InlineData(3, 2, 4)]
    public void ConvShapeTransposedOutput_OutputPaddingNotBelowMaxOfStrideAndDilation_Throws(int stride, int dilation, int outputPadding)
    {
        OutOfRange(() => ConvShape.TransposedOutput(4, 2, 0, stride, outputPadding, dilation), "outputPadding", outputPadding,
            $"max({N(stride)}, {N(dilation)}) = {N(Math.Max(stride, dilation))}");
    }

    [Theory]
    [InlineData(1, 1, 1, -1)]
    [InlineData(2, 2, 3, -3)]
    public void ConvShapeTransposedOutput_PaddingRemovesTheWholeOutput_Throws(int size, int kernel, int padding, int output)
    {
        Rejects<ArgumentException>(() => ConvShape.TransposedOutput(size, kernel, padding), "padding", $"= {N(output)}", "at least 1");
    }

    // ---------------------------------------------------------------- random sweeps over valid and invalid parameters

    public sealed record ConvFuzz(
        int Op, bool Batched, int Channels, int Groups, int WeightA, int WeightB,
        int H, int W, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW, int OPH, int OPW,
        int Mode, int BiasLength, int BiasRank);

    /// <summary>Mostly a value from the valid range, sometimes one from the invalid range, so that a sample usually breaks at most one rule.</summary>
    private static Gen<int> Mostly(int low, int high, int badLow, int badHigh) =>
        Gen.Frequency<int>((12, Gen.Int[low, high]), (1, Gen.Int[badLow, badHigh]));

    private static readonly Gen<ConvFuzz> ConvFuzzGen =
        from op in Gen.Int[0, 3]
        from batched in Gen.Bool
        from groups in Mostly(1, 3, -1, 0)
        from inPerGroup in Gen.Int[1, 2]
        from outPerGroup in Gen.Int[1, 2]
        from channelJitter in Mostly(0, 0, 1, 2)
        from weightAJitter in Mostly(0, 0, 1, 2)
        from weightBJitter in Mostly(0, 0, 1, 2)
        from h in Gen.Int[1, 5]
        from w in Gen.Int[1, 5]
        from kh in Gen.Int[1, 5]
        from kw in Gen.Int[1, 5]
        from sh in Mostly(1, 3, -1, 0)
        from sw in Mostly(1, 3, -1, 0)
        from ph in Mostly(0, 4, -2, -1)
        from pw in Mostly(0, 4, -2, -1)
        from dh in Mostly(1, 3, -1, 0)
        from dw in Mostly(1, 3, -1, 0)
        from oph in Mostly(0, 2, -1, 4)
        from opw in Mostly(0, 2, -1, 4)
        from mode in Mostly(0, 4, 5, 6)
        from biasKind in Gen.Frequency<int>((6, 0), (6, 1), (1, 2), (1, 3))
        let g = Math.Max(groups, 1)
        let channels = g * inPerGroup + channelJitter
        let transposed = op >= 2
        let weightA = (transposed ? channels : g * outPerGroup) + weightAJitter
        let weightB = (transposed ? outPerGroup : inPerGroup) + weightBJitter
        let outChannels = transposed ? weightB * g : weightA
        let biasLength = biasKind switch { 0 => 0, 1 => outChannels, 2 => outChannels + 1, _ => outChannels }
        let biasRank = biasKind == 3 ? 2 : 1
        select new ConvFuzz(op, batched, channels, groups, weightA, weightB, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oph, opw, mode, biasLength, biasRank);

    /// <summary>
    /// Every combination, valid or not, must either give the shape of the output-size formula or throw an
    /// <see cref="ArgumentException"/> with a parameter name, and it must throw exactly when a rule is broken.
    /// </summary>
    [Fact]
    public void RandomParameters_ConvolutionAcceptsExactlyTheValidOnes()
    {
        ConvFuzzGen.Sample(f =>
        {
            string op = ConvNames[f.Op];
            bool oneD = IsOneD(op), transposed = IsTransposed(op);
            var mode = (PaddingMode)f.Mode;
            if (transposed) mode = PaddingMode.Zeros;
            int n = f.Batched ? 2 : 1;
            int h = oneD ? 1 : f.H, kh = oneD ? 1 : f.KH;
            int[] input = (oneD, f.Batched) switch
            {
                (true, true) => [n, f.Channels, f.W],
                (true, false) => [f.Channels, f.W],
                (false, true) => [n, f.Channels, f.H, f.W],
                (false, false) => [f.Channels, f.H, f.W],
            };
            int[] weight = oneD ? [f.WeightA, f.WeightB, f.KW] : [f.WeightA, f.WeightB, f.KH, f.KW];
            Tensor? bias = f.BiasLength == 0 ? null : f.BiasRank == 1 ? Tensor.Zeros(f.BiasLength) : Tensor.Zeros(f.BiasLength, 1);

            string? broken = BrokenConvRule(f, transposed, oneD, mode, out int outChannels, out long outH, out long outW);

            Tensor? result = null;
            Exception? error = null;
            try
            {
                result = Run(op, Ones(input), Ones(weight), bias, (f.SH, f.SW), (f.PH, f.PW), (f.DH, f.DW), f.Groups, (f.OPH, f.OPW), mode);
            }
            catch (Exception e)
            {
                error = e;
            }

            if (broken is null)
            {
                if (error is not null) Assert.Fail($"{op} rejected valid input: {error.GetType().Name}: {error.Message}");
                int[] expected = (oneD, f.Batched) switch
                {
                    (true, true) => [n, outChannels, (int)outW],
                    (true, false) => [outChannels, (int)outW],
                    (false, true) => [n, outChannels, (int)outH, (int)outW],
                    (false, false) => [outChannels, (int)outH, (int)outW],
                };
                Assert.Equal(expected, result!.Shape);
            }
            else
            {
                if (error is null) Assert.Fail($"{op} accepted input that breaks the rule '{broken}' and returned shape {Tensor.ShapeText(result!.Shape)}");
                Assert.True(error is ArgumentException, $"{op} ({broken}) threw {error.GetType().Name}, not an ArgumentException: {error.Message}");
                Assert.False(string.IsNullOrEmpty(((ArgumentException)error).ParamName), $"{op} ({broken}) threw without a parameter name: {error.Message}");
            }
        }, iter: 3000);
    }

    /// <summary>The first rule that the call breaks, or null; for a valid call, the output channels and sizes.</summary>
    private static string? BrokenConvRule(ConvFuzz f, bool transposed, bool oneD, PaddingMode mode, out int outChannels, out long outH, out long outW)
    {
        outChannels = 0;
        outH = outW = 0;
        if (f.Groups < 1) return "groups >= 1";
        if (!Enum.IsDefined(mode)) return "defined padding mode";
        if (f.Channels % f.Groups != 0) return "channels divisible by groups";
        if (transposed)
        {
            if (f.WeightA != f.Channels) return "weight[0] == channels";
            outChannels = f.WeightB * f.Groups;
        }
        else
        {
            if (f.WeightA % f.Groups != 0) return "out channels divisible by groups";
            if (f.WeightB != f.Channels / f.Groups) return "weight[1] == channels / groups";
            outChannels = f.WeightA;
        }
        if (f.BiasLength != 0 && (f.BiasRank != 1 || f.BiasLength != outChannels)) return "bias of one value per output channel";

        string? rule = AxisRule(f.W, f.KW, f.SW, f.PW, f.DW, f.OPW, transposed, mode, out outW);
        if (rule is not null) return rule + " (W)";
        if (oneD)
        {
            outH = 1;
            return null;
        }
        rule = AxisRule(f.H, f.KH, f.SH, f.PH, f.DH, f.OPH, transposed, mode, out outH);
        return rule is null ? null : rule + " (H)";
    }

    private static string? AxisRule(int size, int kernel, int stride, int padding, int dilation, int outputPadding, bool transposed, PaddingMode mode, out long output)
    {
        output = 0;
        if (stride < 1) return "stride >= 1";
        if (dilation < 1) return "dilation >= 1";
        if (padding < 0) return "padding >= 0";
        if (transposed)
        {
            if (outputPadding < 0 || outputPadding >= Math.Max(stride, dilation)) return "0 <= outputPadding < max(stride, dilation)";
            output = (long)(size - 1) * stride - 2L * padding + (long)dilation * (kernel - 1) + outputPadding + 1;
            return output < 1 ? "padding leaves an output" : null;
        }
        if (mode == PaddingMode.Reflect && padding >= size) return "reflect padding < size";
        if (mode is PaddingMode.Circular or PaddingMode.Symmetric && padding > size) return "circular/symmetric padding <= size";
        long extent = (long)dilation * (kernel - 1) + 1;
        if (extent > size + 2L * padding) return "kernel fits the padded input";
        output = (size + 2L * padding - extent) / stride + 1;
        return null;
    }

    public sealed record PadFuzz(int[] Shape, int[] Pads, int Mode)
    {
        public override string ToString() =>
            $"PadFuzz {{ Shape = {Tensor.ShapeText(Shape)}, Pads = [{string.Join(", ", Pads)}], Mode = {Mode} }}";
    }

    private static readonly Gen<PadFuzz> PadFuzzGen =
        from rank in Gen.Int[1, 3]
        from shape in Gen.Int[1, 4].Array[rank]
        from count in Gen.Int[0, 7]
        from pads in Gen.Int[-1, 5].Array[count]
        from mode in Gen.Int[-1, 5]
        select new PadFuzz(shape, pads, mode);

    /// <summary>Every pads array, valid or not, must either give the padded shape or throw an <see cref="ArgumentException"/>, exactly when a rule is broken.</summary>
    [Fact]
    public void RandomParameters_PadAcceptsExactlyTheValidOnes()
    {
        PadFuzzGen.Sample(f =>
        {
            var mode = (PaddingMode)f.Mode;
            int rank = f.Shape.Length;
            string? broken = null;
            int[] expected = (int[])f.Shape.Clone();
            if (f.Pads.Length == 0 || f.Pads.Length % 2 != 0 || f.Pads.Length > 2 * rank) broken = "whole pairs, at most one per dimension";
            else if (!Enum.IsDefined(mode)) broken = "defined mode";
            else
            {
                for (int p = 0; p < f.Pads.Length && broken is null; p++)
                {
                    int size = f.Shape[rank - 1 - p / 2];
                    int pad = f.Pads[p];
                    if (pad < 0) broken = "pad >= 0";
                    else if (mode == PaddingMode.Reflect && pad >= size) broken = "reflect pad < size";
                    else if (mode is PaddingMode.Circular or PaddingMode.Symmetric && pad > size) broken = "circular/symmetric pad <= size";
                    expected[rank - 1 - p / 2] += pad;
                }
            }

            Tensor? result = null;
            Exception? error = null;
            try
            {
                result = Padding.Pad(Ones(f.Shape), f.Pads, mode, 2f);
            }
            catch (Exception e)
            {
                error = e;
            }

            if (broken is null)
            {
                if (error is not null) Assert.Fail($"Pad rejected valid input: {error.GetType().Name}: {error.Message}");
                Assert.Equal(expected, result!.Shape);
            }
            else
            {
                if (error is null) Assert.Fail($"Pad accepted input that breaks the rule '{broken}' and returned shape {Tensor.ShapeText(result!.Shape)}");
                Assert.True(error is ArgumentException, $"Pad ({broken}) threw {error.GetType().Name}, not an ArgumentException: {error.Message}");
                Assert.False(string.IsNullOrEmpty(((ArgumentException)error).ParamName), $"Pad ({broken}) threw without a parameter name: {error.Message}");
            }
        }, iter: 3000);
    }
}
