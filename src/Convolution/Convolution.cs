using System.Numerics;
using System.Runtime.CompilerServices;
namespace Conv.Notebook;

/// <summary>
/// Convolution as in <c>torch.nn.functional</c>: cross-correlation with stride, padding, dilation and groups,
/// and its transpose, the "fractionally strided" convolution. Names and argument order follow PyTorch.
/// </summary>
/// <example>
/// <code>
/// // D2L 7.3, exercise 1: kernel (3, 5), padding (0, 1), stride (3, 4) on an 8×8 input.
/// Tensor x = Tensor.Randn(seed: 0, 1, 1, 8, 8);
/// Tensor k = Tensor.Randn(seed: 1, 1, 1, 3, 5);
/// Tensor y = Convolution.Conv2d(x, k, padding: (0, 1), stride: (3, 4)); // shape (1, 1, 2, 2)
/// </code>
/// </example>
public static class Convolution
{
    /// <summary>
    /// 1-D convolution, as <c>F.conv1d</c>; with a <paramref name="paddingMode"/> other than zeros, as
    /// <c>nn.Conv1d(padding_mode=…)</c>: the input is padded in that mode, then convolved without padding.
    /// </summary>
    /// <param name="input">Shape (N, C, L), or (C, L) for one unbatched signal; a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="weight">Shape (out channels, C / groups, kernel).</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The step between kernel positions, at least 1.</param>
    /// <param name="padding">Samples added on each side, at least 0.</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <param name="paddingMode">What the padding holds; see <see cref="PaddingMode"/>.</param>
    /// <returns>Shape (N, out channels, L_out), or (out channels, L_out) for an unbatched input, with L_out from <see cref="ConvShape.Output"/>.</returns>
    /// <example><code>Tensor y = Convolution.Conv1d(signal, kernel, stride: 2); // keeps every second output</code></example>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, PaddingMode paddingMode = PaddingMode.Zeros) =>
        Forward("Conv1d", oneD: true, input, weight, bias, (1, stride), (0, padding), (1, dilation), groups, paddingMode, Route.Auto);

    /// <summary>
    /// 2-D convolution, as <c>F.conv2d</c>; with a <paramref name="paddingMode"/> other than zeros, as
    /// <c>nn.Conv2d(padding_mode=…)</c>: the input is padded in that mode, then convolved without padding.
    /// </summary>
    /// <param name="input">Shape (N, C, H, W), or (C, H, W) for one unbatched image; a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="weight">Shape (out channels, C / groups, kernel height, kernel width).</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The step between kernel positions (height, width); null means (1, 1).</param>
    /// <param name="padding">Rows and columns added on each side (height, width); null means (0, 0).</param>
    /// <param name="dilation">The spacing between kernel taps (height, width); null means (1, 1).</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <param name="paddingMode">What the padding holds; see <see cref="PaddingMode"/>.</param>
    /// <returns>Shape (N, out channels, H_out, W_out), or without N for an unbatched input, with sizes from <see cref="ConvShape.Output"/>.</returns>
    /// <example><code>Tensor y = Convolution.Conv2d(x, k, padding: (1, 1), paddingMode: PaddingMode.Reflect);</code></example>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (int H, int W)? stride = null,
        (int H, int W)? padding = null, (int H, int W)? dilation = null, int groups = 1, PaddingMode paddingMode = PaddingMode.Zeros) =>
        Forward("Conv2d", oneD: false, input, weight, bias, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1), groups, paddingMode, Route.Auto);

    /// <summary>
    /// 1-D convolution with the padding named as PyTorch names it, as <c>F.conv1d(input, weight, padding='same')</c>:
    /// <c>"same"</c> pads dilation·(kernel − 1) samples in all, half on the left and the odd one out on the right, so
    /// that the output is as long as the input; <c>"valid"</c> pads none.
    /// </summary>
    /// <param name="input">Shape (N, C, L), or (C, L) for one unbatched signal; a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="weight">Shape (out channels, C / groups, kernel).</param>
    /// <param name="padding"><c>"same"</c> or <c>"valid"</c>; <see cref="ConvShape.SamePadding"/> tells what "same" adds.</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The step between kernel positions: 1 with "same", as PyTorch requires; at least 1 with "valid".</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <param name="paddingMode">What the padding holds; see <see cref="PaddingMode"/>.</param>
    /// <returns>Shape (N, out channels, L_out), or (out channels, L_out) for an unbatched input; with "same", L_out = L.</returns>
    /// <exception cref="ArgumentException">The padding is another string, or "same" comes with a stride above 1.</exception>
    /// <example><code>Tensor y = Convolution.Conv1d(signal, kernel, padding: "same"); // as long as signal</code></example>
    public static Tensor Conv1d(Tensor input, Tensor weight, string padding, Tensor? bias = null, int stride = 1,
        int dilation = 1, int groups = 1, PaddingMode paddingMode = PaddingMode.Zeros) =>
        Named("Conv1d", oneD: true, input, weight, padding, bias, (1, stride), (1, dilation), groups, paddingMode, Route.Auto);

    /// <summary>
    /// 2-D convolution with the padding named as PyTorch names it, as <c>F.conv2d(input, weight, padding='same')</c>:
    /// <c>"same"</c> pads dilation·(kernel − 1) rows and columns in all, half before, and where that is odd the extra one
    /// at the bottom or right, so that the output is as large as the input; <c>"valid"</c> pads none.
    /// </summary>
    /// <param name="input">Shape (N, C, H, W), or (C, H, W) for one unbatched image; a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="weight">Shape (out channels, C / groups, kernel height, kernel width).</param>
    /// <param name="padding"><c>"same"</c> or <c>"valid"</c>; <see cref="ConvShape.SamePadding"/> tells what "same" adds.</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The step between kernel positions (height, width); null means (1, 1), the only stride "same" takes, as in PyTorch.</param>
    /// <param name="dilation">The spacing between kernel taps (height, width); null means (1, 1).</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <param name="paddingMode">What the padding holds; see <see cref="PaddingMode"/>.</param>
    /// <returns>Shape (N, out channels, H_out, W_out), or without N for an unbatched input; with "same", H_out = H and W_out = W.</returns>
    /// <exception cref="ArgumentException">The padding is another string, or "same" comes with a stride above 1.</exception>
    /// <example><code>Tensor y = Convolution.Conv2d(x, k, padding: "same", dilation: (2, 2)); // as F.conv2d(x, k, padding='same', dilation=2)</code></example>
    public static Tensor Conv2d(Tensor input, Tensor weight, string padding, Tensor? bias = null, (int H, int W)? stride = null,
        (int H, int W)? dilation = null, int groups = 1, PaddingMode paddingMode = PaddingMode.Zeros) =>
        Named("Conv2d", oneD: false, input, weight, padding, bias, stride ?? (1, 1), dilation ?? (1, 1), groups, paddingMode, Route.Auto);

    /// <summary>
    /// "valid" and "same": "same" pads symmetric sizes in the convolution itself, and pads asymmetric ones (an even
    /// dilated extent) first, in the padding mode, as PyTorch does, so that every path convolves without padding.
    /// </summary>
    internal static Tensor Named(string op, bool oneD, Tensor input, Tensor weight, string padding, Tensor? bias,
        (int H, int W) stride, (int H, int W) dilation, int groups, PaddingMode paddingMode, Route route)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(padding);
        if (padding == "valid") return Forward(op, oneD, input, weight, bias, stride, (0, 0), dilation, groups, paddingMode, route);
        if (padding != "same")
        {
            throw new ArgumentException(
                $"The padding must be \"same\" or \"valid\" (or sizes, in the other overload), but padding is \"{padding}\".", nameof(padding));
        }
        if (stride.H > 1 || stride.W > 1)
        {
            throw new ArgumentException(
                $"Padding \"same\" is not supported for strided convolutions, as in PyTorch: the stride must be 1, but stride is " +
                (oneD ? $"{stride.W}." : $"({stride.H}, {stride.W})."), nameof(padding));
        }
        // The sizes are read only to split the padding; ConvGeometry.Create checks every shape before any work.
        ReadOnlySpan<int> k = weight.Dims;
        int kh = oneD || k.Length < 2 ? 1 : Math.Max(1, k[^2]), kw = k.Length < 1 ? 1 : Math.Max(1, k[^1]);
        (int top, int bottom) = oneD ? (0, 0) : ConvShape.SamePadding(kh, Math.Max(1, dilation.H));
        (int left, int right) = ConvShape.SamePadding(kw, Math.Max(1, dilation.W));
        // The shapes are checked first; then each side's padding against the mode's limit, in words of "same".
        ConvGeometry g = ConvGeometry.Create(op, oneD, transposed: false, input.Dims, weight.Dims, bias?.Rank, bias?.Length ?? 0,
            stride, (bottom, right), dilation, (0, 0), groups, Enum.IsDefined(paddingMode) ? PaddingMode.Zeros : paddingMode);
        CheckSame(paddingMode, right, g.InW, kw, dilation.W, oneD ? "length" : "width");
        if (!oneD) CheckSame(paddingMode, bottom, g.InH, kh, dilation.H, "height");
        if (top == bottom && left == right)
        {
            return Forward(op, oneD, input, weight, bias, stride, (top, left), dilation, groups, paddingMode, route);
        }
        // Pad keeps the input alive while it reads it; Forward does the same for the padded copy.
        Tensor padded = Padding.Pad(input, oneD ? [left, right] : [left, right, top, bottom], paddingMode);
        return Forward(op, oneD, padded, weight, bias, stride, (0, 0), dilation, groups, PaddingMode.Zeros, route);
    }

    /// <summary>Checks the larger side of "same" padding along one dimension against the padding mode's limit.</summary>
    private static void CheckSame(PaddingMode mode, int after, int size, int kernel, int dilation, string dim)
    {
        if (PadRules.Allows(mode, after, size)) return;
        PadRules.Check(mode, after, size, "padding",
            $"what \"same\" adds after the input along the {dim} for a kernel of {kernel} taps at dilation {dilation}", dim);
    }

    /// <summary>
    /// 1-D transposed convolution, as <c>F.conv_transpose1d</c>: the adjoint of <see cref="Conv1d"/>, which
    /// spreads each input sample over the kernel at stride spacing; with stride s it is a convolution of stride 1/s.
    /// </summary>
    /// <param name="input">Shape (N, C, L), or (C, L) for one unbatched signal; a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="weight">Shape (C, out channels / groups, kernel).</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The output step between neighbouring input samples, at least 1.</param>
    /// <param name="padding">Samples removed from each side of the output, at least 0.</param>
    /// <param name="outputPadding">Samples added at the end, below max(stride, dilation), to pick among the sizes that a strided convolution maps to the same length.</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <returns>Shape (N, out channels, L_out), or unbatched, with L_out from <see cref="ConvShape.TransposedOutput"/>.</returns>
    /// <example><code>Tensor up = Convolution.ConvTranspose1d(signal, kernel, stride: 2); // about twice as long</code></example>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int outputPadding = 0, int dilation = 1, int groups = 1) =>
        Transposed("ConvTranspose1d", oneD: true, input, weight, bias, (1, stride), (0, padding), (0, outputPadding), (1, dilation), groups, Route.Auto);

    /// <summary>
    /// 2-D transposed convolution, as <c>F.conv_transpose2d</c>: the adjoint of <see cref="Conv2d"/>, which
    /// spreads each input pixel over the kernel at stride spacing; with stride s it is a convolution of stride 1/s.
    /// </summary>
    /// <param name="input">Shape (N, C, H, W), or (C, H, W) for one unbatched image; a batch of none (N = 0) gives an empty batch.</param>
    /// <param name="weight">Shape (C, out channels / groups, kernel height, kernel width).</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The output step between neighbouring input pixels (height, width); null means (1, 1).</param>
    /// <param name="padding">Rows and columns removed from each side of the output; null means (0, 0).</param>
    /// <param name="outputPadding">Rows and columns added at the bottom and right, each below max(stride, dilation); null means (0, 0).</param>
    /// <param name="dilation">The spacing between kernel taps (height, width); null means (1, 1).</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <returns>Shape (N, out channels, H_out, W_out), or unbatched, with sizes from <see cref="ConvShape.TransposedOutput"/>.</returns>
    /// <example><code>Tensor up = Convolution.ConvTranspose2d(x, k, stride: (2, 2), padding: (1, 1)); // 4×4 kernel: exactly 2× larger</code></example>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, (int H, int W)? stride = null,
        (int H, int W)? padding = null, (int H, int W)? outputPadding = null, (int H, int W)? dilation = null, int groups = 1) =>
        Transposed("ConvTranspose2d", oneD: false, input, weight, bias, stride ?? (1, 1), padding ?? (0, 0), outputPadding ?? (0, 0), dilation ?? (1, 1), groups, Route.Auto);

    /// <summary>
    /// The most threads one convolution call uses; the default is every processor. Set it to 1 to time the
    /// single-threaded kernels, as <c>torch.set_num_threads(1)</c> does for PyTorch. Small calls use one thread
    /// whatever it says, since waking helpers would cost more than the call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    /// <example><code>Convolution.MaxDegreeOfParallelism = 1; // one core, for a fair comparison with torch.set_num_threads(1)</code></example>
    public static int MaxDegreeOfParallelism
    {
        get => s_maxDegreeOfParallelism;
        set
        {
            Guard.AtLeastOne(value, nameof(value), "degree of parallelism");
            s_maxDegreeOfParallelism = value;
        }
    }

    private static int s_maxDegreeOfParallelism = Environment.ProcessorCount;

    // Below this many multiply-accumulates the small loops win: packing and tiling cost more than they save,
    // and a notebook's 8×8 example must stay far under a microsecond.
    private const long FastPathMinimum = 2048;

    // The small loops pad a copy of the whole input; past this many floats the plain loops, which need none, are used.
    private const long SmallScratchLimit = 1 << 16;

    // The fast kernels' packed input must fit one workspace array; beyond this many floats (about a quarter of the
    // largest array) the plain loops are used.
    private const long FastScratchLimit = 1 << 29;

    // About this many multiply-accumulates per extra thread pay for waking it.
    private const long WorkPerThread = 1 << 20;

    /// <summary>The implementations a call can take.</summary>
    internal enum Path
    {
        /// <summary>Whichever is fastest for the call's size: <see cref="Small"/> or <see cref="Fast"/>.</summary>
        Auto,

        /// <summary>The plain loops of <see cref="DirectConvolution"/>, the teaching path.</summary>
        Reference,

        /// <summary>The plain loops over padded copies (<see cref="SmallConvolution"/>), for notebook-sized calls.</summary>
        Small,

        /// <summary>The implicit GEMM on vector micro-kernels (<see cref="FastConvolution"/>).</summary>
        Fast,
    }

    /// <summary>Which implementation runs a call, and for <see cref="Path.Fast"/> which micro-kernel on how many threads (0: chosen by size).</summary>
    internal readonly record struct Route(Path Path, KernelKind? Kind = null, int Threads = 0)
    {
        public static Route Auto => new(Path.Auto);
        public static Route Plain => new(Path.Reference);
    }

    // The entry points and the methods every call runs (geometry and checks, the route, the small loops, the tap tables)
    // are compiled optimised from their first call. A notebook times a call a few thousand times, and in its kernel the
    // JIT took over a second of calls to tier them up: until then a 1 × 1 convolution took 0.5–0.7 µs instead of 0.12.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Tensor Forward(string op, bool oneD, Tensor input, Tensor weight, Tensor? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups, PaddingMode paddingMode, Route route = default)
    {
        Tensor result = ForwardInto(op, oneD, input, weight, bias, stride, padding, dilation, groups, paddingMode, route);
        // The kernels read the arguments' elements through spans and pointers, which do not keep the tensors alive: an
        // argument whose elements are lent by ResultMemory must not be found dead (and its elements lent again) before
        // they are done.
        GC.KeepAlive(input);
        GC.KeepAlive(weight);
        GC.KeepAlive(bias);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor ForwardInto(string op, bool oneD, Tensor input, Tensor weight, Tensor? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups, PaddingMode paddingMode, Route route)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ConvGeometry g = ConvGeometry.Create(op, oneD, transposed: false, input.Dims, weight.Dims, bias?.Rank, bias?.Length ?? 0,
            stride, padding, dilation, (0, 0), groups, paddingMode);
        int[] shape = g.OutputShape(oneD, g.OutChannels, g.OutH, g.OutW);
        // A batch of none has nothing to compute, and the kernels are never handed empty work.
        if (g.Batch == 0) return Tensor.Wrap(shape, []);
        ReadOnlySpan<float> biasData = bias is null ? default : bias.Span;
        long work = g.MultiplyAccumulates;
        g = IdleStridesOne(g, transposed: false);
        long scratch = Product(g.Batch, g.InChannels, g.InH + 2L * g.PadH, g.InW + 2L * g.PadW);
        Path path = Choose(route, work, scratch, out KernelKind kind, out int threads);
        // Strided small calls skip most of the input, so splitting it into phase planes costs more than the plain loops;
        // the small loops take them only when they can sum them straight from the input.
        if (path == Path.Small && route.Path == Path.Auto && (g.StrideH > 1 || g.StrideW > 1) && !SmallConvolution.SumsStrided(g, paddingMode))
        {
            path = Path.Reference;
        }
        if (path != Path.Reference)
        {
            Tensor result = Tensor.Uninitialized(shape, g.Batch * g.OutChannels * g.OutH * g.OutW);
            // A kernel that would need more workspace than its bound declines, having written nothing; the plain loops
            // then fill the same result.
            bool done = path == Path.Small
                ? SmallConvolution.Forward(input.Span, weight.Span, biasData, g, paddingMode, result.Writable)
                : FastConvolution.Forward(input.Span, weight.Span, biasData, g, paddingMode, result.Writable, kind, threads, weight);
            if (!done) Plain(input, weight, biasData, g, oneD, padding, paddingMode, result.Writable);
            return result;
        }
        var output = new float[(long)g.Batch * g.OutChannels * g.OutH * g.OutW];
        Plain(input, weight, biasData, g, oneD, padding, paddingMode, output);
        return Tensor.Wrap(shape, output);
    }

    /// <summary>The plain loops of a forward call, padding first in <paramref name="paddingMode"/> when it is not zeros.</summary>
    private static void Plain(Tensor input, Tensor weight, ReadOnlySpan<float> bias, in ConvGeometry g, bool oneD, (int H, int W) padding,
        PaddingMode paddingMode, Span<float> output)
    {
        if (paddingMode == PaddingMode.Zeros || (padding.H == 0 && padding.W == 0))
        {
            DirectConvolution.ForwardInto(input.Span, weight.Span, bias, g, output);
            return;
        }
        int[] pads = oneD ? [padding.W, padding.W] : [padding.W, padding.W, padding.H, padding.H];
        Tensor padded = Padding.Pad(input, pads, paddingMode);
        ConvGeometry unpadded = g with { InH = g.InH + 2 * g.PadH, InW = g.InW + 2 * g.PadW, PadH = 0, PadW = 0 };
        DirectConvolution.ForwardInto(padded.Span, weight.Span, bias, unpadded, output);
        GC.KeepAlive(padded);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Tensor Transposed(string op, bool oneD, Tensor input, Tensor weight, Tensor? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) outputPadding, (int H, int W) dilation, int groups, Route route = default)
    {
        Tensor result = TransposedInto(op, oneD, input, weight, bias, stride, padding, outputPadding, dilation, groups, route);
        GC.KeepAlive(input);
        GC.KeepAlive(weight);
        GC.KeepAlive(bias);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor TransposedInto(string op, bool oneD, Tensor input, Tensor weight, Tensor? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) outputPadding, (int H, int W) dilation, int groups, Route route)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ConvGeometry g = ConvGeometry.Create(op, oneD, transposed: true, input.Dims, weight.Dims, bias?.Rank, bias?.Length ?? 0,
            stride, padding, dilation, outputPadding, groups, PaddingMode.Zeros);
        int[] shape = g.OutputShape(oneD, g.OutChannels, g.OutH, g.OutW);
        if (g.Batch == 0) return Tensor.Wrap(shape, []);
        ReadOnlySpan<float> biasData = bias is null ? default : bias.Span;
        long work = (long)g.Batch * g.InChannels * g.InH * g.InW * g.OutPerGroup * g.KernelH * g.KernelW;
        g = IdleStridesOne(g, transposed: true);
        // The phases' padded copy of every input channel.
        (_, _, long copyRows, long copyColumns) = g.TransposedCopy();
        long scratch = Product(g.Batch, g.InChannels, copyRows, copyColumns);
        Path path = Choose(route, work, scratch, out KernelKind kind, out int threads);
        // The kernels' phases multiply the zeros around the input by every tap that lands on them; PyTorch's scatter does
        // not, and that differs only where a tap is infinite or NaN (∞ · 0 is NaN): those calls take the plain scatter.
        if (path != Path.Reference && !AllFinite(weight.Span)) path = Path.Reference;
        if (path != Path.Reference)
        {
            Tensor result = Tensor.Uninitialized(shape, g.Batch * g.OutChannels * g.OutH * g.OutW);
            // A kernel that would need more workspace than its bound declines, having written nothing.
            bool done = path == Path.Small
                ? SmallConvolution.Transposed(input.Span, weight.Span, biasData, g, result.Writable)
                : FastConvolution.Transposed(input.Span, weight.Span, biasData, g, result.Writable, kind, threads, weight);
            if (!done) DirectConvolution.TransposedInto(input.Span, weight.Span, biasData, g, result.Writable);
            return result;
        }
        return Tensor.Wrap(shape, DirectConvolution.Transposed(input.Span, weight.Span, biasData, g));
    }

    /// <summary>
    /// The call with stride 1 along each axis where the stride takes no part: a forward axis of one output (its only
    /// window starts at 0, whatever the stride), or a transposed axis of one input (its only sample lands at 0). The
    /// result is the same; the kernels, whose phase planes number s_h·s_w, then cost what the outputs cost, however
    /// far the stride lies beyond the input.
    /// </summary>
    private static ConvGeometry IdleStridesOne(in ConvGeometry g, bool transposed)
    {
        bool idleH = g.StrideH > 1 && (transposed ? g.InH : g.OutH) == 1, idleW = g.StrideW > 1 && (transposed ? g.InW : g.OutW) == 1;
        if (!idleH && !idleW) return g;
        return g with { StrideH = idleH ? 1 : g.StrideH, StrideW = idleW ? 1 : g.StrideW };
    }

    /// <summary>
    /// The product of four sizes (each at least 0), saturating at 2⁶² rather than wrapping, which leaves room to add
    /// a size to it and still compare it with a bound.
    /// </summary>
    internal static long Product(long a, long b, long c, long d)
    {
        double product = (double)a * b * c * d;
        return product >= 1L << 62 ? 1L << 62 : a * b * c * d;
    }

    /// <summary>
    /// Whether every value is finite (no NaN, no ±∞): x − x is 0 for those and NaN for the others, summed a vector at a time.
    /// </summary>
    internal static bool AllFinite(ReadOnlySpan<float> values)
    {
        var sum = Vector<float>.Zero;
        int i = 0;
        for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
        {
            var v = new Vector<float>(values[i..]);
            sum += v - v;
        }
        float rest = 0f;
        for (; i < values.Length; i++) rest += values[i] - values[i];
        return Vector.Sum(sum) + rest == 0f;
    }

    /// <summary>
    /// Picks the implementation: the small loops below <see cref="FastPathMinimum"/> multiply-accumulates when their padded
    /// copy (<paramref name="scratch"/> floats) is small too, the fast kernels above it with one thread per
    /// <see cref="WorkPerThread"/>, and the plain loops where the processor has no vector hardware or the copy would be huge.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Path Choose(Route route, long work, long scratch, out KernelKind kind, out int threads)
    {
        kind = route.Kind ?? MicroKernels.Best ?? KernelKind.Portable;
        threads = route.Threads > 0 ? route.Threads : WorkSplitter.Threads((int)Math.Clamp(work / WorkPerThread, 1, s_maxDegreeOfParallelism));
        if (route.Path != Path.Auto) return route.Path;
        if (work < FastPathMinimum || MicroKernels.Best is null) return scratch <= SmallScratchLimit ? Path.Small : Path.Reference;
        return scratch <= FastScratchLimit ? Path.Fast : Path.Reference;
    }
}
