using System.Runtime.CompilerServices;
namespace Conv.Notebook;

/// <summary>
/// Everything a 2-D convolution call fixes: batch, channels, sizes, kernel, stride, padding, dilation and
/// groups. A 1-D call is a 2-D call of height 1, so both share one validated description and one kernel loop.
/// </summary>
internal readonly record struct ConvGeometry(
    int Batch, int InChannels, int InH, int InW,
    int OutChannels, int KernelH, int KernelW,
    int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW,
    int Groups, int OutH, int OutW, bool Batched)
{
    // Stored rather than divided on every read: the small kernels read them per output channel, and the divisions were
    // a tenth of a notebook-sized call. A `with` that changed the channels or groups would keep the old values; none does.
    public int InPerGroup { get; } = InChannels / Groups;
    public int OutPerGroup { get; } = OutChannels / Groups;

    /// <summary>The forward convolution's multiply-accumulates: each output sums (in channels / groups) · k_h · k_w taps, padded ones too.</summary>
    public long MultiplyAccumulates => (long)Batch * OutChannels * OutH * OutW * InPerGroup * KernelH * KernelW;

    /// <summary>
    /// The padded input a transposed call's phases read: the rows and columns the farthest tap steps back (the padding at
    /// the top and left), and the padded size, the input spread to the output's size over the stride plus that step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (long BackRows, long BackColumns, long Rows, long Columns) TransposedCopy()
    {
        long backRows = (KernelH - 1L) * DilationH / StrideH, backColumns = (KernelW - 1L) * DilationW / StrideW;
        return (backRows, backColumns,
            Math.Max(InH, (OutH - 1L + PadH) / StrideH + 1) + backRows,
            Math.Max(InW, (OutW - 1L + PadW) / StrideW + 1) + backColumns);
    }

    /// <summary>Output shape in the caller's rank: (N, C, H, W), (C, H, W), (N, C, L) or (C, L).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int[] OutputShape(bool oneD, int channels, int h, int w) => Shape(oneD, Batched, Batch, channels, h, w);

    /// <summary>A layer's shape in its caller's rank: (N, C, H, W), (C, H, W), (N, C, L) or (C, L).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int[] Shape(bool oneD, bool batched, int batch, int channels, int h, int w) =>
        (oneD, batched) switch
        {
            (true, true) => [batch, channels, w],
            (true, false) => [channels, w],
            (false, true) => [batch, channels, h, w],
            (false, false) => [channels, h, w],
        };

    /// <summary>
    /// Validates a convolution's shapes and parameters, before any work, and describes the call.
    /// With <paramref name="transposed"/> the weight is (in, out/groups, k…) and the output size is the transposed formula.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConvGeometry Create(
        string op, bool oneD, bool transposed,
        ReadOnlySpan<int> input, ReadOnlySpan<int> weight, int? biasRank, int biasLength,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, (int H, int W) outputPadding,
        int groups, PaddingMode paddingMode)
    {
        int spatial = oneD ? 1 : 2;
        string layout = oneD ? "(N, C, L) or (C, L)" : "(N, C, H, W) or (C, H, W)";
        string kernelLayout = (oneD, transposed) switch
        {
            (true, false) => "(out channels, in channels / groups, kernel)",
            (false, false) => "(out channels, in channels / groups, kernel height, kernel width)",
            (true, true) => "(in channels, out channels / groups, kernel)",
            (false, true) => "(in channels, out channels / groups, kernel height, kernel width)",
        };
        if (input.Length != spatial + 1 && input.Length != spatial + 2)
        {
            throw new ArgumentException(
                $"{op} needs an input of shape {layout}, so rank {spatial + 2} or {spatial + 1}, but input has shape {Tensor.ShapeText(input)}.", nameof(input));
        }
        if (weight.Length != spatial + 2)
        {
            throw new ArgumentException(
                $"{op} needs a weight of shape {kernelLayout}, so rank {spatial + 2}, but weight has shape {Tensor.ShapeText(weight)}.", nameof(weight));
        }
        bool batched = input.Length == spatial + 2;
        Guard.EmptyOnlyAlongBatch(input, batched, nameof(input), op);
        Guard.WeightNotEmpty(weight, nameof(weight), op);
        Guard.AtLeastOne(groups, nameof(groups), "number of groups");
        if (!Enum.IsDefined(paddingMode))
        {
            throw new ArgumentOutOfRangeException(nameof(paddingMode), paddingMode,
                $"The padding mode must be one of {string.Join(", ", Enum.GetNames<PaddingMode>())}, but it is {(int)paddingMode}.");
        }

        int n = batched ? input[0] : 1;
        int c = input[batched ? 1 : 0];
        int h = oneD ? 1 : input[^2], w = input[^1];
        int kh = oneD ? 1 : weight[^2], kw = weight[^1];

        if (c % groups != 0)
        {
            throw new ArgumentException(
                $"The input channels must be divisible by groups, but the input has {c} channels and groups is {groups}.", nameof(groups));
        }
        int outChannels;
        if (transposed)
        {
            if (weight[0] != c)
            {
                throw new ArgumentException(
                    $"The weight's first dimension must equal the input channels {c} (weight shape {kernelLayout}), but weight has shape {Tensor.ShapeText(weight)}.", nameof(weight));
            }
            outChannels = checked(weight[1] * groups);
        }
        else
        {
            outChannels = weight[0];
            if (outChannels % groups != 0)
            {
                throw new ArgumentException(
                    $"The output channels must be divisible by groups, but weight has {outChannels} output channels and groups is {groups}.", nameof(groups));
            }
            if (weight[1] != c / groups)
            {
                throw new ArgumentException(
                    $"The weight's in-channels must equal input channels / groups = {c} / {groups} = {c / groups}, but weight has shape {Tensor.ShapeText(weight)} with {weight[1]}.", nameof(weight));
            }
        }
        if (biasRank is int rank && (rank != 1 || biasLength != outChannels))
        {
            throw new ArgumentException(
                $"The bias must be a vector of one value per output channel, length {outChannels}, but it has rank {rank} and {biasLength} elements.", "bias");
        }

        AxisNames namesW = oneD ? AxisNames.Length : AxisNames.Width;
        AxisNames namesH = AxisNames.Height;
        if (!transposed && paddingMode != PaddingMode.Zeros)
        {
            // nn.Conv2d(padding_mode=...) pads by `padding` on both sides in that mode before an unpadded convolution.
            PadRules.Check(paddingMode, padding.W, w, namesW.Padding, namesW.Padding, oneD ? "length" : "width");
            if (!oneD) PadRules.Check(paddingMode, padding.H, h, namesH.Padding, namesH.Padding, "height");
            ReadOnlySpan<long> padded = [n, c, h + 2L * padding.H, w + 2L * padding.W];
            if (!Guard.FitsOneArray(padded)) throw Guard.TooLargeResult(padded, "padding", $"{op} {paddingMode} padding");
        }
        int outH, outW;
        if (transposed)
        {
            outH = oneD ? 1 : ConvShape.TransposedOutputNamed(h, kh, padding.H, stride.H, outputPadding.H, dilation.H, namesH);
            outW = ConvShape.TransposedOutputNamed(w, kw, padding.W, stride.W, outputPadding.W, dilation.W, namesW);
        }
        else
        {
            outH = oneD ? 1 : ConvShape.OutputNamed(h, kh, padding.H, stride.H, dilation.H, namesH);
            outW = ConvShape.OutputNamed(w, kw, padding.W, stride.W, dilation.W, namesW);
        }
        Guard.FitsOneArray([n, outChannels, outH, outW], "input", op);
        return new ConvGeometry(n, c, h, w, outChannels, kh, kw,
            stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, groups, outH, outW, batched);
    }
}
