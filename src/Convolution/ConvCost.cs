namespace Conv.Notebook;

/// <summary>
/// The cost of one convolution layer: multiply-accumulates, output elements, parameters and the bytes
/// that its float32 tensors occupy. It counts every kernel tap, padded ones too, as a dense kernel does.
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

    /// <summary>Floating-point operations per byte moved: high means compute-bound, low memory-bound.</summary>
    public double ArithmeticIntensity => (double)Flops / TotalBytes;

    /// <summary>The cost of <see cref="Convolution.Conv2d"/> with these shapes and parameters, without running it.</summary>
    /// <param name="inputShape">(N, C, H, W) or (C, H, W).</param>
    /// <param name="weightShape">(out channels, C / groups, kernel height, kernel width).</param>
    /// <param name="stride">(height, width); null means (1, 1).</param>
    /// <param name="padding">(height, width) on each side; null means (0, 0).</param>
    /// <param name="dilation">(height, width); null means (1, 1).</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <param name="bias">Whether the layer has a bias.</param>
    /// <example><code>long macs = ConvCost.Conv2d([1, 3, 224, 224], [64, 3, 7, 7], stride: (2, 2), padding: (3, 3)).MultiplyAccumulates;</code></example>
    public static ConvCost Conv2d(int[] inputShape, int[] weightShape, (int H, int W)? stride = null, (int H, int W)? padding = null,
        (int H, int W)? dilation = null, int groups = 1, bool bias = false)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        return Of(ConvGeometry.Create("Conv2d", oneD: false, transposed: false, inputShape, weightShape, bias ? 1 : null, bias ? weightShape[0] : 0,
            stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1), (0, 0), groups, PaddingMode.Zeros), oneD: false, bias);
    }

    /// <summary>The cost of <see cref="Convolution.Conv1d"/> with these shapes and parameters, without running it.</summary>
    /// <param name="inputShape">(N, C, L) or (C, L).</param>
    /// <param name="weightShape">(out channels, C / groups, kernel).</param>
    /// <param name="stride">The step between kernel positions.</param>
    /// <param name="padding">Samples added on each side.</param>
    /// <param name="dilation">The spacing between kernel taps.</param>
    /// <param name="groups">The number of channel groups.</param>
    /// <param name="bias">Whether the layer has a bias.</param>
    /// <example><code>var cost = ConvCost.Conv1d([1, 1, 16000], [512, 1, 10], stride: 5);</code></example>
    public static ConvCost Conv1d(int[] inputShape, int[] weightShape, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = false)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        return Of(ConvGeometry.Create("Conv1d", oneD: true, transposed: false, inputShape, weightShape, bias ? 1 : null, bias ? weightShape[0] : 0,
            (1, stride), (0, padding), (1, dilation), (0, 0), groups, PaddingMode.Zeros), oneD: true, bias);
    }

    private static ConvCost Of(ConvGeometry g, bool oneD, bool bias)
    {
        long outputs = (long)g.Batch * g.OutChannels * g.OutH * g.OutW;
        long parameters = (long)g.OutChannels * g.InPerGroup * g.KernelH * g.KernelW + (bias ? g.OutChannels : 0);
        long inputs = (long)g.Batch * g.InChannels * g.InH * g.InW;
        return new ConvCost(g.MultiplyAccumulates, outputs, parameters,
            inputs * sizeof(float), outputs * sizeof(float), parameters * sizeof(float),
            g.OutputShape(oneD, g.OutChannels, g.OutH, g.OutW));
    }
}
