using System.Runtime.CompilerServices;
namespace Conv.Notebook;

/// <summary>
/// The output-size formulas of convolution and transposed convolution, per spatial dimension,
/// as in PyTorch's <c>Conv2d</c> and <c>ConvTranspose2d</c> documentation.
/// </summary>
/// <example>
/// <code>
/// int h = ConvShape.Output(8, kernel: 3, padding: 0, stride: 3); // ⌊(8 − 3) / 3⌋ + 1 = 2
/// int w = ConvShape.Output(8, kernel: 5, padding: 1, stride: 4); // ⌊(8 + 2 − 5) / 4⌋ + 1 = 2
/// </code>
/// </example>
public static class ConvShape
{
    /// <summary>
    /// ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1: how many positions a kernel takes
    /// along one dimension. With dilation 1 this is D2L's ⌊(n − k + p + s) / s⌋ for total padding p = 2·padding.
    /// </summary>
    /// <param name="size">The input size along the dimension, at least 1.</param>
    /// <param name="kernel">The kernel size, at least 1.</param>
    /// <param name="padding">The padding on each side, at least 0.</param>
    /// <param name="stride">The step between kernel positions, at least 1.</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is below its minimum.</exception>
    /// <exception cref="ArgumentException">
    /// The dilated kernel is larger than the padded input, so the output would be empty; or the padding makes it larger than
    /// <see cref="int.MaxValue"/>.
    /// </exception>
    /// <example><code>ConvShape.Output(224, kernel: 7, padding: 3, stride: 2) // 112</code></example>
    public static int Output(int size, int kernel, int padding = 0, int stride = 1, int dilation = 1) =>
        OutputAnySize(size, kernel, padding, stride, dilation, new AxisNames());

    /// <summary>
    /// (size − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1: the size that a transposed
    /// convolution produces, the largest input of <see cref="Output"/> that maps back to <paramref name="size"/>
    /// when <paramref name="outputPadding"/> is the remainder that the stride dropped.
    /// </summary>
    /// <param name="size">The input size along the dimension, at least 1.</param>
    /// <param name="kernel">The kernel size, at least 1.</param>
    /// <param name="padding">The padding removed from each side of the output, at least 0.</param>
    /// <param name="stride">The step between input samples on the output, at least 1.</param>
    /// <param name="outputPadding">Extra size on one side, at least 0 and below max(stride, dilation).</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of its range.</exception>
    /// <exception cref="ArgumentException">
    /// The padding removes the whole output, or the output is larger than <see cref="int.MaxValue"/> (the message names the
    /// stride, size, dilation or kernel, whichever term made it so).
    /// </exception>
    /// <example><code>ConvShape.TransposedOutput(4, kernel: 4, padding: 1, stride: 2) // 8: a stride of 1/2</code></example>
    public static int TransposedOutput(int size, int kernel, int padding = 0, int stride = 1, int outputPadding = 0, int dilation = 1)
    {
        var names = new AxisNames();
        return Fitting(TransposedOutputLength(size, kernel, padding, stride, outputPadding, dilation, names), names, int.MaxValue,
            "an int holds", TransposedBlame(size, kernel, stride, dilation, names));
    }

    /// <summary>
    /// The padding before and after that <c>padding='same'</c> adds along one dimension, as PyTorch splits it: a total of
    /// dilation·(kernel − 1), half before, and the odd one out after (bottom or right), so that at stride 1 the output
    /// is as large as the input.
    /// </summary>
    /// <param name="kernel">The kernel size, at least 1.</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <returns>The rows or columns added before (top, left) and after (bottom, right) the input.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is below 1.</exception>
    /// <example><code>ConvShape.SamePadding(kernel: 4) // (1, 2): one row above, two below</code></example>
    public static (int Before, int After) SamePadding(int kernel, int dilation = 1)
    {
        Guard.AtLeastOne(kernel, nameof(kernel), "kernel size");
        Guard.AtLeastOne(dilation, nameof(dilation), "dilation");
        long total = (long)dilation * (kernel - 1);
        if (total > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The \"same\" padding dilation·(kernel − 1) = {dilation}·({kernel} − 1) = {total} is more than one float array can hold.", nameof(dilation));
        }
        return ((int)(total / 2), (int)(total - total / 2));
    }

    /// <summary>The formula of <see cref="Output"/> with the caller's names in its messages, for a result one array holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int OutputNamed(int size, int kernel, int padding, int stride, int dilation, AxisNames names) =>
        Fitting(OutputLength(size, kernel, padding, stride, dilation, names), names, Array.MaxLength, "one float array can hold",
            padding > 0 ? names.Padding : names.Size);

    /// <summary>The formula of <see cref="Output"/> with the caller's names in its messages, for any result an int holds.</summary>
    internal static int OutputAnySize(int size, int kernel, int padding, int stride, int dilation, AxisNames names) =>
        Fitting(OutputLength(size, kernel, padding, stride, dilation, names), names, int.MaxValue, "an int holds", names.Padding);

    // Every term in 64 bits: no int input can overflow them. Only padding makes the output larger than the input.
    private static long OutputLength(int size, int kernel, int padding, int stride, int dilation, AxisNames names)
    {
        Guard.AtLeastOne(size, names.Size, "input size");
        Guard.AtLeastOne(kernel, names.Kernel, "kernel size");
        Guard.NotNegative(padding, names.Padding, "padding");
        Guard.AtLeastOne(stride, names.Stride, "stride");
        Guard.AtLeastOne(dilation, names.Dilation, "dilation");
        long extent = (long)dilation * (kernel - 1) + 1;
        long padded = (long)size + 2L * padding;
        if (extent > padded)
        {
            throw new ArgumentException(
                $"The kernel does not fit the padded input along the {names.Dim}: its extent dilation·(kernel − 1) + 1 = {dilation}·({kernel} − 1) + 1 = {extent} " +
                $"is larger than size + 2·padding = {size} + 2·{padding} = {padded}, so the output would be empty.",
                names.Kernel);
        }
        return (padded - extent) / stride + 1;
    }

    // A length beyond what the caller can hold, blaming the parameter that made it so large.
    private static int Fitting(long output, AxisNames names, long limit, string what, string blamed) =>
        output <= limit
            ? (int)output
            : throw new ArgumentException(
                $"The output {names.Dim} would be {output}, more than {what} ({limit}); reduce {blamed}.", blamed);

    /// <summary>The formula of <see cref="TransposedOutput"/> with the caller's names in its messages, for a result one array holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int TransposedOutputNamed(int size, int kernel, int padding, int stride, int outputPadding, int dilation, AxisNames names) =>
        Fitting(TransposedOutputLength(size, kernel, padding, stride, outputPadding, dilation, names), names, Array.MaxLength,
            "one float array can hold", TransposedBlame(size, kernel, stride, dilation, names));

    private static long TransposedOutputLength(int size, int kernel, int padding, int stride, int outputPadding, int dilation, AxisNames names)
    {
        Guard.AtLeastOne(size, names.Size, "input size");
        Guard.AtLeastOne(kernel, names.Kernel, "kernel size");
        Guard.NotNegative(padding, names.Padding, "padding");
        Guard.AtLeastOne(stride, names.Stride, "stride");
        Guard.AtLeastOne(dilation, names.Dilation, "dilation");
        Guard.NotNegative(outputPadding, names.OutputPadding, "output padding");
        int limit = Math.Max(stride, dilation);
        if (outputPadding >= limit)
        {
            throw new ArgumentOutOfRangeException(names.OutputPadding, outputPadding,
                $"The output padding must be smaller than stride or dilation (max({stride}, {dilation}) = {limit}), but {names.OutputPadding} is {outputPadding}.");
        }
        long output = (long)(size - 1) * stride - 2L * padding + (long)dilation * (kernel - 1) + outputPadding + 1;
        if (output < 1)
        {
            throw new ArgumentException(
                $"The padding removes the whole output along the {names.Dim}: (size − 1)·stride − 2·padding + dilation·(kernel − 1) + output padding + 1 = " +
                $"({size} − 1)·{stride} − 2·{padding} + {dilation}·({kernel} − 1) + {outputPadding} + 1 = {output}, but it must be at least 1.",
                names.Padding);
        }
        return output;
    }

    // The larger of the two terms that grow the output: the strided input or the dilated kernel.
    private static string TransposedBlame(int size, int kernel, int stride, int dilation, AxisNames names) =>
        (long)(size - 1) * stride >= (long)dilation * (kernel - 1)
            ? (stride > 1 ? names.Stride : names.Size)
            : (dilation > 1 ? names.Dilation : names.Kernel);
}

/// <summary>The parameter names that messages about one spatial dimension use, such as <c>stride.H</c>.</summary>
internal readonly record struct AxisNames(
    string Dim = "dimension",
    string Size = "size",
    string Kernel = "kernel",
    string Padding = "padding",
    string Stride = "stride",
    string Dilation = "dilation",
    string OutputPadding = "outputPadding")
{
    public AxisNames() : this("dimension") { }

    /// <summary>Names for one axis of a convolution call: <c>stride</c> in 1-D, <c>stride.H</c> or <c>stride.W</c> in 2-D.</summary>
    public static AxisNames ForCall(string dim, string suffix) =>
        new(dim, "input", "weight", "padding" + suffix, "stride" + suffix, "dilation" + suffix, "outputPadding" + suffix);

    // Made once: every convolution call names its axes, and building the strings per call costs more than a small call.

    /// <summary>The axis of a 1-D call: <c>stride</c>, <c>padding</c>, … along the length.</summary>
    public static readonly AxisNames Length = ForCall("length", "");

    /// <summary>The width of a 2-D call: <c>stride.W</c>, <c>padding.W</c>, ….</summary>
    public static readonly AxisNames Width = ForCall("width", ".W");

    /// <summary>The height of a 2-D call: <c>stride.H</c>, <c>padding.H</c>, ….</summary>
    public static readonly AxisNames Height = ForCall("height", ".H");
}
