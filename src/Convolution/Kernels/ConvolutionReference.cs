namespace Conv.Notebook;

/// <summary>
/// The same calls as <see cref="Convolution"/>, always computed by the plain nested loops: one output element at a
/// time, every kernel tap visited. It is the readable definition, to show beside the fast kernels or to time them
/// against; both give the same numbers up to float rounding.
/// </summary>
/// <example>
/// <code>
/// Tensor fast = Convolution.Conv2d(x, k, padding: (1, 1));
/// Tensor plain = ConvolutionReference.Conv2d(x, k, padding: (1, 1));
/// bool same = fast.AllClose(plain); // true
/// </code>
/// </example>
public static class ConvolutionReference
{
    /// <summary>1-D convolution by the plain loops; the parameters are those of <see cref="Convolution.Conv1d"/>.</summary>
    /// <param name="input">Shape (N, C, L), or (C, L) for one unbatched signal.</param>
    /// <param name="weight">Shape (out channels, C / groups, kernel).</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The step between kernel positions, at least 1.</param>
    /// <param name="padding">Samples added on each side, at least 0.</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <param name="paddingMode">What the padding holds; see <see cref="PaddingMode"/>.</param>
    /// <returns>The same tensor as <see cref="Convolution.Conv1d"/>, up to rounding.</returns>
    /// <example><code>Tensor y = ConvolutionReference.Conv1d(signal, kernel, stride: 2);</code></example>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, PaddingMode paddingMode = PaddingMode.Zeros) =>
        Convolution.Forward("Conv1d", oneD: true, input, weight, bias, (1, stride), (0, padding), (1, dilation), groups, paddingMode, Convolution.Route.Plain);

    /// <summary>2-D convolution by the plain loops; the parameters are those of <see cref="Convolution.Conv2d"/>.</summary>
    /// <param name="input">Shape (N, C, H, W), or (C, H, W) for one unbatched image.</param>
    /// <param name="weight">Shape (out channels, C / groups, kernel height, kernel width).</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The step between kernel positions (height, width); null means (1, 1).</param>
    /// <param name="padding">Rows and columns added on each side (height, width); null means (0, 0).</param>
    /// <param name="dilation">The spacing between kernel taps (height, width); null means (1, 1).</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <param name="paddingMode">What the padding holds; see <see cref="PaddingMode"/>.</param>
    /// <returns>The same tensor as <see cref="Convolution.Conv2d"/>, up to rounding.</returns>
    /// <example><code>Tensor y = ConvolutionReference.Conv2d(x, k, padding: (0, 1), stride: (3, 4));</code></example>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (int H, int W)? stride = null,
        (int H, int W)? padding = null, (int H, int W)? dilation = null, int groups = 1, PaddingMode paddingMode = PaddingMode.Zeros) =>
        Convolution.Forward("Conv2d", oneD: false, input, weight, bias, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1), groups, paddingMode, Convolution.Route.Plain);

    /// <summary>1-D transposed convolution by the plain scatter loops; the parameters are those of <see cref="Convolution.ConvTranspose1d"/>.</summary>
    /// <param name="input">Shape (N, C, L), or (C, L) for one unbatched signal.</param>
    /// <param name="weight">Shape (C, out channels / groups, kernel).</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The output step between neighbouring input samples, at least 1.</param>
    /// <param name="padding">Samples removed from each side of the output, at least 0.</param>
    /// <param name="outputPadding">Samples added at the end, below max(stride, dilation).</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <returns>The same tensor as <see cref="Convolution.ConvTranspose1d"/>, up to rounding.</returns>
    /// <example><code>Tensor up = ConvolutionReference.ConvTranspose1d(signal, kernel, stride: 2);</code></example>
    public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        int outputPadding = 0, int dilation = 1, int groups = 1) =>
        Convolution.Transposed("ConvTranspose1d", oneD: true, input, weight, bias, (1, stride), (0, padding), (0, outputPadding), (1, dilation), groups, Convolution.Route.Plain);

    /// <summary>2-D transposed convolution by the plain scatter loops; the parameters are those of <see cref="Convolution.ConvTranspose2d"/>.</summary>
    /// <param name="input">Shape (N, C, H, W), or (C, H, W) for one unbatched image.</param>
    /// <param name="weight">Shape (C, out channels / groups, kernel height, kernel width).</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The output step between neighbouring input pixels (height, width); null means (1, 1).</param>
    /// <param name="padding">Rows and columns removed from each side of the output; null means (0, 0).</param>
    /// <param name="outputPadding">Rows and columns added at the bottom and right, each below max(stride, dilation); null means (0, 0).</param>
    /// <param name="dilation">The spacing between kernel taps (height, width); null means (1, 1).</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <returns>The same tensor as <see cref="Convolution.ConvTranspose2d"/>, up to rounding.</returns>
    /// <example><code>Tensor up = ConvolutionReference.ConvTranspose2d(x, k, stride: (2, 2), padding: (1, 1));</code></example>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, (int H, int W)? stride = null,
        (int H, int W)? padding = null, (int H, int W)? outputPadding = null, (int H, int W)? dilation = null, int groups = 1) =>
        Convolution.Transposed("ConvTranspose2d", oneD: false, input, weight, bias, stride ?? (1, 1), padding ?? (0, 0), outputPadding ?? (0, 0), dilation ?? (1, 1), groups, Convolution.Route.Plain);
}
