namespace Conv.Notebook;

/// <summary>
/// The cost of one convolution layer: multiply-accumulates, output elements, parameters and the bytes
/// that its float32 tensors occupy. It counts every kernel tap, padded ones too, as a dense kernel does.
/// It allocates nothing, so it counts layers of any size whose counts fit in 64 bits.
/// </summary>
/// <param name="MultiplyAccumulates">N · C_out · H_out · W_out · (C_in / groups) · k_h · k_w.</param>
/// <param name="OutputElements">N · C_out · H_out · W_out.</param>
/// <param name="Parameters">The weight's elements plus one bias per output channel if there is a bias.</param>
/// <param name="InputBytes">The input's size in bytes (4 per float32 element).</param>
/// <param name="OutputBytes">The output's size in bytes.</param>
/// <param name="ParameterBytes">The weight's and bias's size in bytes.</param>
/// <param name="OutputShape">The output's shape, from <see cref="ConvShape.Output"/>.</param>
/// <example>
/// <code>
/// var s1 = ConvCost.Conv2d([1, 64, 56, 56], [64, 64, 3, 3], padding: (1, 1));
/// var s2 = ConvCost.Conv2d([1, 64, 56, 56], [64, 64, 3, 3], padding: (1, 1), stride: (2, 2));
/// double saving = (double)s1.MultiplyAccumulates / s2.MultiplyAccumulates; // 4
/// </code>
/// </example>
public sealed record ConvCost(
    long MultiplyAccumulates, long OutputElements, long Parameters,
    long InputBytes, long OutputBytes, long ParameterBytes, int[] OutputShape)
{
    /// <summary>Floating-point operations: two per multiply-accumulate, the usual count for GFLOP/s.</summary>
    public long Flops => 2 * MultiplyAccumulates;

    /// <summary>Bytes that must at least be read and written once: input, parameters and output.</summary>
    public long TotalBytes => InputBytes + OutputBytes + ParameterBytes;

    /// <summary>Floating-point operations per byte moved: high means compute-bound, low memory-bound; 0 when nothing moves.</summary>
    public double ArithmeticIntensity => TotalBytes == 0 ? 0 : (double)Flops / TotalBytes;

    /// <summary>The cost of <see cref="Convolution.Conv2d"/> with these shapes and parameters, without running it.</summary>
    /// <param name="inputShape">(N, C, H, W) or (C, H, W): every size at least 1, the batch N at least 0.</param>
    /// <param name="weightShape">(out channels, C / groups, kernel height, kernel width), every size at least 1.</param>
    /// <param name="stride">(height, width); null means (1, 1).</param>
    /// <param name="padding">(height, width) on each side; null means (0, 0).</param>
    /// <param name="dilation">(height, width); null means (1, 1).</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <param name="bias">Whether the layer has a bias.</param>
    /// <exception cref="ArgumentException">
    /// A shape or parameter breaks the convolution's rules, or a count exceeds 64 bits; the message names the parameter.
    /// </exception>
    /// <example><code>long macs = ConvCost.Conv2d([1, 3, 224, 224], [64, 3, 7, 7], stride: (2, 2), padding: (3, 3)).MultiplyAccumulates;</code></example>
    public static ConvCost Conv2d(int[] inputShape, int[] weightShape, (int H, int W)? stride = null, (int H, int W)? padding = null,
        (int H, int W)? dilation = null, int groups = 1, bool bias = false)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        return Of(oneD: false, inputShape, weightShape, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1), groups, bias);
    }

    /// <summary>The cost of <see cref="Convolution.Conv1d"/> with these shapes and parameters, without running it.</summary>
    /// <param name="inputShape">(N, C, L) or (C, L): every size at least 1, the batch N at least 0.</param>
    /// <param name="weightShape">(out channels, C / groups, kernel), every size at least 1.</param>
    /// <param name="stride">The step between kernel positions.</param>
    /// <param name="padding">Samples added on each side.</param>
    /// <param name="dilation">The spacing between kernel taps.</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <param name="bias">Whether the layer has a bias.</param>
    /// <exception cref="ArgumentException">
    /// A shape or parameter breaks the convolution's rules, or a count exceeds 64 bits; the message names the parameter.
    /// </exception>
    /// <example><code>var cost = ConvCost.Conv1d([1, 1, 16000], [512, 1, 10], stride: 5);</code></example>
    public static ConvCost Conv1d(int[] inputShape, int[] weightShape, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = false)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        return Of(oneD: true, inputShape, weightShape, (1, stride), (0, padding), (1, dilation), groups, bias);
    }

    private static ConvCost Of(bool oneD, int[] inputShape, int[] weightShape,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups, bool bias)
    {
        int spatial = oneD ? 1 : 2;
        if (inputShape.Length != spatial + 1 && inputShape.Length != spatial + 2)
        {
            throw new ArgumentException(
                $"The input must have shape {(oneD ? "(N, C, L) or (C, L)" : "(N, C, H, W) or (C, H, W)")}, so rank {spatial + 2} or {spatial + 1}, " +
                $"but inputShape is {Tensor.ShapeText(inputShape)}.", nameof(inputShape));
        }
        if (weightShape.Length != spatial + 2)
        {
            throw new ArgumentException(
                $"The weight must have shape (out channels, in channels / groups, {(oneD ? "kernel" : "kernel height, kernel width")}), " +
                $"so rank {spatial + 2}, but weightShape is {Tensor.ShapeText(weightShape)}.", nameof(weightShape));
        }
        bool batched = inputShape.Length == spatial + 2;
        string op = oneD ? "Conv1d" : "Conv2d";
        Guard.EmptyOnlyAlongBatch(inputShape, batched, nameof(inputShape), op);
        Guard.WeightNotEmpty(weightShape, nameof(weightShape), op);
        Guard.AtLeastOne(groups, nameof(groups), "number of groups");

        long n = batched ? inputShape[0] : 1;
        int c = inputShape[batched ? 1 : 0];
        int h = oneD ? 1 : inputShape[^2], w = inputShape[^1];
        int outChannels = weightShape[0];
        int kh = oneD ? 1 : weightShape[^2], kw = weightShape[^1];
        if (c % groups != 0)
        {
            throw new ArgumentException(
                $"The input channels must be divisible by groups, but inputShape has {c} channels and groups is {groups}.", nameof(groups));
        }
        if (outChannels % groups != 0)
        {
            throw new ArgumentException(
                $"The output channels must be divisible by groups, but weightShape has {outChannels} output channels and groups is {groups}.", nameof(groups));
        }
        if (weightShape[1] != c / groups)
        {
            throw new ArgumentException(
                $"The weight's in-channels must equal input channels / groups = {c} / {groups} = {c / groups}, " +
                $"but weightShape is {Tensor.ShapeText(weightShape)} with {weightShape[1]}.", nameof(weightShape));
        }

        AxisNames namesW = Names(oneD ? "length" : "width", oneD ? "" : ".W");
        int outH = oneD ? 1 : ConvShape.OutputAnySize(h, kh, padding.H, stride.H, dilation.H, Names("height", ".H"));
        int outW = ConvShape.OutputAnySize(w, kw, padding.W, stride.W, dilation.W, namesW);

        long taps = Product(nameof(weightShape), "taps per output (C / groups) · k_h · k_w", weightShape[1], kh, kw);
        long weights = Product(nameof(weightShape), "weights C_out · (C / groups) · k_h · k_w", outChannels, taps);
        long parameters = Sum(nameof(weightShape), "parameters", weights, bias ? outChannels : 0);
        long inputs = Product(nameof(inputShape), "input elements N · C · H · W", n, c, h, w);
        long outputs = Product(nameof(inputShape), "output elements N · C_out · H_out · W_out", n, outChannels, outH, outW);
        long macs = Product(nameof(weightShape), "multiply-accumulates (output elements) · (taps per output)", outputs, taps);
        Product(nameof(weightShape), "floating-point operations 2 · multiply-accumulates", 2, macs);
        long inputBytes = Product(nameof(inputShape), "input bytes", inputs, sizeof(float));
        long outputBytes = Product(nameof(inputShape), "output bytes", outputs, sizeof(float));
        long parameterBytes = Product(nameof(weightShape), "parameter bytes", parameters, sizeof(float));
        Sum(nameof(inputShape), "bytes moved", Sum(nameof(inputShape), "bytes moved", inputBytes, outputBytes), parameterBytes);

        return new ConvCost(macs, outputs, parameters, inputBytes, outputBytes, parameterBytes,
            ConvGeometry.Shape(oneD, batched, (int)n, outChannels, outH, outW));
    }

    // The names a cost call's messages use: its own shape parameters, and stride.H … as the convolution names them.
    private static AxisNames Names(string dim, string suffix) =>
        AxisNames.ForCall(dim, suffix) with { Size = "inputShape", Kernel = "weightShape" };

    private static long Product(string paramName, string what, params ReadOnlySpan<long> factors)
    {
        long product = 1;
        foreach (long factor in factors)
        {
            if (factor != 0 && product > long.MaxValue / factor)
            {
                throw new ArgumentException(
                    $"The layer's {what} = {string.Join(" · ", factors.ToArray())} is more than a 64-bit count holds ({long.MaxValue}); " +
                    $"reduce {paramName}.", paramName);
            }
            product *= factor;
        }
        return product;
    }

    private static long Sum(string paramName, string what, long a, long b) =>
        a <= long.MaxValue - b
            ? a + b
            : throw new ArgumentException(
                $"The layer's {what} = {a} + {b} is more than a 64-bit count holds ({long.MaxValue}); reduce {paramName}.", paramName);
}
