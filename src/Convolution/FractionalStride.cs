namespace Conv.Notebook;

/// <summary>
/// A stride of 1/s, built the way Dumoulin and Visin (2016, "A guide to convolution arithmetic for deep
/// learning") describe it: put s − 1 zeros between neighbouring input samples, pad, and convolve with stride 1
/// and the flipped kernel. The result is the transposed convolution of <see cref="Convolution.ConvTranspose2d"/>;
/// the other members measure what that construction implies: how many kernel taps reach each output position
/// (the cause of checkerboard artifacts), the matrix of a linear map, and bilinear upsampling as a kernel.
/// </summary>
/// <example>
/// <code>
/// Tensor x = Tensor.Randn(seed: 0, 1, 2, 4, 4);
/// Tensor w = Tensor.Randn(seed: 1, 2, 3, 4, 4);
/// Tensor a = FractionalStride.ConvTranspose2dByZeroInsertion(x, w, stride: (2, 2), padding: (1, 1));
/// Tensor b = Convolution.ConvTranspose2d(x, w, stride: (2, 2), padding: (1, 1));   // equal to a, shape (1, 3, 8, 8)
/// </code>
/// </example>
public static class FractionalStride
{
    /// <summary>
    /// Puts stride − 1 zeros between neighbouring elements of the last two dimensions: (…, H, W) becomes
    /// (…, (H − 1)·s_h + 1, (W − 1)·s_w + 1), with input (y, x) at (y·s_h, x·s_w).
    /// </summary>
    /// <param name="input">A tensor of rank 2 or more; the last two dimensions are the height and the width.</param>
    /// <param name="stride">The spacing (height, width) of the input elements in the result, each at least 1.</param>
    /// <returns>A new tensor with the zeros inserted.</returns>
    /// <exception cref="ArgumentException">The input has rank below 2, or the result would not fit one array.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride is below 1.</exception>
    /// <example><code>FractionalStride.InsertZeros(Tensor.Full([2, 2], 1f), (2, 2)) // [[1, 0, 1], [0, 0, 0], [1, 0, 1]]</code></example>
    public static Tensor InsertZeros(Tensor input, (int H, int W) stride)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2)
        {
            throw new ArgumentException(
                $"InsertZeros with a (height, width) stride needs an input of rank 2 or more, but input has shape {Tensor.ShapeText(input.Dims)}.", nameof(input));
        }
        Guard.NotEmptyAlong(input, 2, nameof(input), "InsertZeros");
        Guard.AtLeastOne(stride.H, "stride.H", "stride");
        Guard.AtLeastOne(stride.W, "stride.W", "stride");
        return Embed(input, stride, (0, 0), (0, 0), nameof(stride));
    }

    /// <summary>
    /// Puts stride − 1 zeros between neighbouring elements of the last dimension: (…, L) becomes (…, (L − 1)·s + 1).
    /// </summary>
    /// <param name="input">A tensor of rank 1 or more; the last dimension is the length.</param>
    /// <param name="stride">The spacing of the input elements in the result, at least 1.</param>
    /// <returns>A new tensor with the zeros inserted.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The stride is below 1.</exception>
    /// <example><code>FractionalStride.InsertZeros(Tensor.FromArray([1f, 2f, 3f]), 2) // [1, 0, 2, 0, 3]</code></example>
    public static Tensor InsertZeros(Tensor input, int stride)
    {
        ArgumentNullException.ThrowIfNull(input);
        Guard.NotEmptyAlong(input, 1, nameof(input), "InsertZeros");
        Guard.AtLeastOne(stride, nameof(stride), "stride");
        int[] shape = input.Shape;
        Tensor asImage = input.Reshape([.. shape[..^1], 1, shape[^1]]);
        Tensor spread = Embed(asImage, (1, stride), (0, 0), (0, 0), nameof(stride));
        return spread.Reshape([.. shape[..^1], spread.Size(-1)]);
    }

    /// <summary>
    /// The weight of the stride-1 convolution that a transposed convolution becomes: every kernel flipped in
    /// space and the channel axes swapped within each group, so a transposed weight (in, out / groups, k…)
    /// becomes a convolution weight (out, in / groups, k…).
    /// </summary>
    /// <param name="weight">A transposed-convolution weight of shape (in, out / groups, k) or (in, out / groups, kh, kw).</param>
    /// <param name="groups">The groups of the transposed convolution; the in channels must be divisible by it.</param>
    /// <returns>The convolution weight, of shape (out, in / groups, k) or (out, in / groups, kh, kw).</returns>
    /// <exception cref="ArgumentException">The weight's rank is not 3 or 4, or its first dimension is not divisible by groups.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Groups is below 1.</exception>
    /// <example><code>FractionalStride.EquivalentConvWeight(Tensor.Arange(3).Reshape(1, 1, 3)) // [[[2, 1, 0]]]</code></example>
    public static Tensor EquivalentConvWeight(Tensor weight, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 3 && weight.Rank != 4)
        {
            throw new ArgumentException(
                $"The weight must have shape (in, out / groups, k) or (in, out / groups, kh, kw), so rank 3 or 4, but weight has shape {Tensor.ShapeText(weight.Dims)}.", nameof(weight));
        }
        Guard.AtLeastOne(groups, nameof(groups), "number of groups");
        ReadOnlySpan<int> dims = weight.Dims;
        int inChannels = dims[0], outPerGroup = dims[1];
        if (inChannels % groups != 0)
        {
            throw new ArgumentException(
                $"The weight's in channels must be divisible by groups, but weight has shape {Tensor.ShapeText(dims)} with {inChannels} in channels and groups is {groups}.", nameof(groups));
        }
        int inPerGroup = inChannels / groups;
        int plane = 1;
        for (int d = 2; d < dims.Length; d++) plane *= dims[d];
        ReadOnlySpan<float> source = weight.Span;
        var result = new float[source.Length];
        for (int g = 0; g < groups; g++)
        {
            for (int c = 0; c < inPerGroup; c++)
            {
                for (int o = 0; o < outPerGroup; o++)
                {
                    int from = ((g * inPerGroup + c) * outPerGroup + o) * plane;
                    int to = ((g * outPerGroup + o) * inPerGroup + c) * plane;
                    // Flipping both spatial axes of a row-major plane is reversing it.
                    for (int t = 0; t < plane; t++) result[to + t] = source[from + plane - 1 - t];
                }
            }
        }
        int[] shape = weight.Shape;
        shape[0] = groups * outPerGroup;
        shape[1] = inPerGroup;
        GC.KeepAlive(weight);
        return Tensor.Wrap(shape, result);
    }

    /// <summary>
    /// <see cref="Convolution.ConvTranspose2d"/> computed as a stride-1 convolution: insert stride − 1 zeros
    /// between input pixels, pad each side by dilation·(kernel − 1) − padding (a negative amount crops) and the
    /// bottom and right by output padding more, and call <see cref="Convolution.Conv2d"/> with stride 1, the same
    /// dilation and groups, and the <see cref="EquivalentConvWeight">flipped, channel-swapped</see> weight.
    /// </summary>
    /// <param name="input">Shape (N, C, H, W), or (C, H, W) for one unbatched image.</param>
    /// <param name="weight">Shape (C, out channels / groups, kernel height, kernel width), as for ConvTranspose2d.</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The inverse of the fractional stride (height, width); null means (1, 1).</param>
    /// <param name="padding">Rows and columns removed from each side of the output; null means (0, 0).</param>
    /// <param name="outputPadding">Rows and columns added at the bottom and right, each below max(stride, dilation); null means (0, 0).</param>
    /// <param name="dilation">The spacing between kernel taps (height, width); null means (1, 1).</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <returns>The same tensor as ConvTranspose2d, up to float rounding.</returns>
    /// <exception cref="ArgumentException">The shapes or parameters are invalid, with ConvTranspose2d's messages.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of its range.</exception>
    /// <example><code>FractionalStride.ConvTranspose2dByZeroInsertion(x, w, stride: (2, 2), padding: (1, 1))</code></example>
    public static Tensor ConvTranspose2dByZeroInsertion(Tensor input, Tensor weight, Tensor? bias = null,
        (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? outputPadding = null,
        (int H, int W)? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        (int H, int W) s = stride ?? (1, 1), p = padding ?? (0, 0), op = outputPadding ?? (0, 0), d = dilation ?? (1, 1);
        ConvGeometry g = ConvGeometry.Create("ConvTranspose2dByZeroInsertion", oneD: false, transposed: true, input.Dims, weight.Dims,
            bias?.Rank, bias?.Length ?? 0, s, p, d, op, groups, PaddingMode.Zeros);
        return ByZeroInsertion(input, weight, bias, g);
    }

    /// <summary>
    /// <see cref="Convolution.ConvTranspose1d"/> computed as a stride-1 convolution of the zero-inserted, padded
    /// signal with the flipped kernel; see <see cref="ConvTranspose2dByZeroInsertion"/>.
    /// </summary>
    /// <param name="input">Shape (N, C, L), or (C, L) for one unbatched signal.</param>
    /// <param name="weight">Shape (C, out channels / groups, kernel), as for ConvTranspose1d.</param>
    /// <param name="bias">One value per output channel, or null for none.</param>
    /// <param name="stride">The inverse of the fractional stride, at least 1.</param>
    /// <param name="padding">Samples removed from each side of the output, at least 0.</param>
    /// <param name="outputPadding">Samples added at the end, below max(stride, dilation).</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <param name="groups">Splits the channels into this many independent convolutions.</param>
    /// <returns>The same tensor as ConvTranspose1d, up to float rounding.</returns>
    /// <exception cref="ArgumentException">The shapes or parameters are invalid, with ConvTranspose1d's messages.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of its range.</exception>
    /// <example><code>FractionalStride.ConvTranspose1dByZeroInsertion(signal, kernel, stride: 2) // about twice as long</code></example>
    public static Tensor ConvTranspose1dByZeroInsertion(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1,
        int padding = 0, int outputPadding = 0, int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ConvGeometry g = ConvGeometry.Create("ConvTranspose1dByZeroInsertion", oneD: true, transposed: true, input.Dims, weight.Dims,
            bias?.Rank, bias?.Length ?? 0, (1, stride), (0, padding), (1, dilation), (0, outputPadding), groups, PaddingMode.Zeros);
        int[] inShape = input.Shape, wShape = weight.Shape;
        Tensor image = input.Reshape([.. inShape[..^1], 1, inShape[^1]]);
        Tensor kernel = weight.Reshape(wShape[0], wShape[1], 1, wShape[2]);
        Tensor result = ByZeroInsertion(image, kernel, bias, g);
        int[] outShape = result.Shape;
        return result.Reshape([.. outShape[..^2], outShape[^1]]);
    }

    /// <summary>
    /// For each output position of a 1-D transposed convolution, how many (input sample, kernel tap) pairs land
    /// on it: out[y·stride − padding + i·dilation] receives input y times tap i. With a kernel size that the stride
    /// does not divide, neighbouring positions get different counts, the overlap that causes checkerboard artifacts.
    /// </summary>
    /// <param name="size">The input length, at least 1.</param>
    /// <param name="kernel">The kernel size, at least 1.</param>
    /// <param name="stride">The inverse of the fractional stride, at least 1.</param>
    /// <param name="padding">Positions removed from each side of the output, at least 0.</param>
    /// <param name="outputPadding">Positions added at the end, below max(stride, dilation).</param>
    /// <param name="dilation">The spacing between kernel taps, at least 1.</param>
    /// <returns>One count per output position, length <see cref="ConvShape.TransposedOutput"/>.</returns>
    /// <exception cref="ArgumentException">The padding removes the whole output.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of its range.</exception>
    /// <example><code>FractionalStride.Overlap(4, kernel: 3, stride: 2) // [1, 1, 2, 1, 2, 1, 2, 1, 1]</code></example>
    public static int[] Overlap(int size, int kernel, int stride, int padding = 0, int outputPadding = 0, int dilation = 1)
    {
        int length = ConvShape.TransposedOutput(size, kernel, padding, stride, outputPadding, dilation);
        var counts = new int[length];
        for (int y = 0; y < size; y++)
        {
            for (int i = 0; i < kernel; i++)
            {
                long o = (long)y * stride - padding + (long)i * dilation;
                if (o >= 0 && o < length) counts[o]++;
            }
        }
        return counts;
    }

    /// <summary>
    /// The 2-D <see cref="Overlap(int, int, int, int, int, int)"/>: for each output pixel of a transposed
    /// convolution, how many (input pixel, kernel tap) pairs land on it, the product of the row and column counts.
    /// It is what ConvTranspose2d gives for an all-ones input and an all-ones kernel.
    /// </summary>
    /// <param name="size">The input (height, width), each at least 1.</param>
    /// <param name="kernel">The kernel (height, width), each at least 1.</param>
    /// <param name="stride">The inverse of the fractional stride (height, width), each at least 1.</param>
    /// <param name="padding">Rows and columns removed from each side; null means (0, 0).</param>
    /// <param name="outputPadding">Rows and columns added at the bottom and right; null means (0, 0).</param>
    /// <param name="dilation">The spacing between kernel taps; null means (1, 1).</param>
    /// <returns>The counts as a tensor of shape (H_out, W_out), to show as a heatmap.</returns>
    /// <exception cref="ArgumentException">The padding removes the whole output.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of its range.</exception>
    /// <example><code>Charts.Heatmap(FractionalStride.Overlap((6, 6), (3, 3), (2, 2))) // a checkerboard of 1, 2 and 4</code></example>
    public static Tensor Overlap((int H, int W) size, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W)? padding = null, (int H, int W)? outputPadding = null, (int H, int W)? dilation = null)
    {
        (int H, int W) p = padding ?? (0, 0), op = outputPadding ?? (0, 0), d = dilation ?? (1, 1);
        AxisNames namesH = AxisNames.Height;
        AxisNames namesW = AxisNames.Width;
        namesH = namesH with { Size = "size.H", Kernel = "kernel.H" };
        namesW = namesW with { Size = "size.W", Kernel = "kernel.W" };
        int outH = ConvShape.TransposedOutputNamed(size.H, kernel.H, p.H, stride.H, op.H, d.H, namesH);
        int outW = ConvShape.TransposedOutputNamed(size.W, kernel.W, p.W, stride.W, op.W, d.W, namesW);
        Guard.FitsOneArray([outH, outW], "size", "overlap");
        int[] rows = Overlap(size.H, kernel.H, stride.H, p.H, op.H, d.H);
        int[] cols = Overlap(size.W, kernel.W, stride.W, p.W, op.W, d.W);
        var data = new float[outH * outW];
        for (int r = 0; r < outH; r++)
            for (int c = 0; c < outW; c++)
                data[r * outW + c] = rows[r] * cols[c];
        return Tensor.Wrap([outH, outW], data);
    }

    /// <summary>
    /// The matrix of a linear map on tensors of one shape: column j is the map applied to the j-th one-hot
    /// tensor, flattened in row-major order. A convolution's matrix shows its weight sharing; the matrix of its
    /// transposed convolution is its transpose.
    /// </summary>
    /// <param name="map">A linear map, such as <c>x =&gt; Convolution.Conv1d(x, w, stride: 2)</c>; it must map zeros to zeros.</param>
    /// <param name="inputShape">The shape of the map's input, each size at least 1.</param>
    /// <returns>A tensor of shape (output length, input length).</returns>
    /// <exception cref="ArgumentException">The shape is invalid, the map returns null or outputs of different lengths, or it maps zeros to something else (an affine map, such as one with a bias).</exception>
    /// <example><code>Tensor m = FractionalStride.MatrixOf(x => Convolution.Conv1d(x, w, stride: 2, padding: 1), 1, 8); // (4, 8)</code></example>
    public static Tensor MatrixOf(Func<Tensor, Tensor> map, params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(inputShape);
        int columns = (int)Guard.ElementCount(inputShape, nameof(inputShape));
        Tensor atZero = map(Tensor.Zeros(inputShape)) ?? throw MapGaveNull("zeros");
        ReadOnlySpan<float> zeroImage = atZero.Span;
        for (int i = 0; i < zeroImage.Length; i++)
        {
            if (zeroImage[i] != 0f)
            {
                throw new ArgumentException(
                    $"The map must be linear, so it must map zeros to zeros, but element {i} of map(zeros) is {zeroImage[i]}; drop the bias.", nameof(map));
            }
        }
        int rows = atZero.Length;
        Guard.FitsOneArray([rows, columns], nameof(inputShape), "matrix");
        var data = new float[rows * columns];
        var oneHot = new float[columns];
        for (int j = 0; j < columns; j++)
        {
            oneHot[j] = 1f;
            Tensor mapped = map(new Tensor(inputShape, oneHot)) ?? throw MapGaveNull($"one-hot {j}");
            ReadOnlySpan<float> column = mapped.Span;
            oneHot[j] = 0f;
            if (column.Length != rows)
            {
                throw new ArgumentException(
                    $"The map must give outputs of one length, but it gave {rows} elements for zeros and {column.Length} for one-hot {j}.", nameof(map));
            }
            for (int i = 0; i < rows; i++) data[i * columns + j] = column[i];
            GC.KeepAlive(mapped);
        }
        return Tensor.Wrap([rows, columns], data);
    }

    private static ArgumentException MapGaveNull(string input) =>
        new($"The map must return a tensor, but it returned null for {input}.", "map");

    /// <summary>
    /// The kernel that makes a transposed convolution a bilinear upsampling by <paramref name="factor"/>, as FCN
    /// initialises its upsampling layers: size 2·factor − factor mod 2, taps 1 − |i − centre| / factor, the outer
    /// product of the 1-D taps. With stride factor, padding factor / 2 and groups = channels it scales the size
    /// exactly by factor and equals <see cref="Interpolation.Interpolate"/> in bilinear mode (align_corners = False)
    /// everywhere but the outer factor / 2 rows and columns, where interpolation clamps to the edge pixel and the
    /// transposed convolution sees zeros.
    /// </summary>
    /// <param name="factor">The upsampling factor, at least 1.</param>
    /// <param name="channels">The channels, each upsampled on its own (a depthwise weight), at least 1.</param>
    /// <returns>A weight of shape (channels, 1, k, k) for ConvTranspose2d with groups = channels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The factor or channels is below 1, or the factor is above 4096.</exception>
    /// <example><code>FractionalStride.BilinearKernel(2) // outer product of [1/4, 3/4, 3/4, 1/4], shape (1, 1, 4, 4)</code></example>
    public static Tensor BilinearKernel(int factor, int channels = 1)
    {
        Guard.AtLeastOne(factor, nameof(factor), "upsampling factor");
        Guard.AtLeastOne(channels, nameof(channels), "number of channels");
        if (factor > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"The upsampling factor must be at most 4096, but factor is {factor}.");
        }
        int size = 2 * factor - factor % 2;
        double centre = factor % 2 == 1 ? factor - 1 : factor - 0.5;
        var taps = new double[size];
        for (int i = 0; i < size; i++) taps[i] = 1 - Math.Abs(i - centre) / factor;
        int plane = size * size;
        Guard.FitsOneArray([channels, 1, size, size], nameof(channels), "bilinear kernel");
        var data = new float[(long)channels * plane];
        for (int c = 0; c < channels; c++)
            for (int r = 0; r < size; r++)
                for (int k = 0; k < size; k++)
                    data[c * plane + r * size + k] = (float)(taps[r] * taps[k]);
        return Tensor.Wrap([channels, 1, size, size], data);
    }

    /// <summary>
    /// The smallest, largest and mean value of an image inside a border, and the ratio of largest to smallest:
    /// a checkerboard metric. An even upsampling of a constant image has ratio 1; uneven overlap of a transposed
    /// convolution gives more.
    /// </summary>
    /// <param name="image">A tensor of rank 2 or more; the last two dimensions are the height and width, all planes count.</param>
    /// <param name="border">Rows and columns left out on each side, at least 0, less than half of each size.</param>
    /// <returns>The minimum, the maximum, the mean and max / min (meaningful for positive images).</returns>
    /// <exception cref="ArgumentException">The image has rank below 2.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The border is negative or leaves no interior.</exception>
    /// <example><code>FractionalStride.Interior(Convolution.ConvTranspose2d(ones, kernel3, stride: (2, 2)), border: 2).Ratio // 4</code></example>
    public static InteriorSpread Interior(Tensor image, int border)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Rank < 2)
        {
            throw new ArgumentException($"The image must have rank 2 or more (…, H, W), but image has shape {Tensor.ShapeText(image.Dims)}.", nameof(image));
        }
        Guard.NotNegative(border, nameof(border), "border");
        int h = image.Size(-2), w = image.Size(-1);
        if (2L * border >= Math.Min(h, w))
        {
            throw new ArgumentOutOfRangeException(nameof(border), border,
                $"The border must leave an interior: 2·border must be less than the height {h} and the width {w}, but border is {border}.");
        }
        ReadOnlySpan<float> data = image.Span;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        double sum = 0;
        long count = 0;
        for (int plane = 0; plane < data.Length; plane += h * w)
        {
            for (int r = border; r < h - border; r++)
            {
                for (int c = border; c < w - border; c++)
                {
                    float v = data[plane + r * w + c];
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                    sum += v;
                    count++;
                }
            }
        }
        GC.KeepAlive(image);
        return new InteriorSpread(border, min, max, sum / count);
    }

    /// <summary>
    /// The element-wise root mean square of tensors of one shape, √(mean of x²): the typical size of a layer's
    /// output at each position over many random kernels, which shows patterns that the mean (zero) hides.
    /// </summary>
    /// <param name="samples">One or more tensors of the same shape.</param>
    /// <returns>A tensor of that shape.</returns>
    /// <exception cref="ArgumentException">There is no sample, or the shapes differ.</exception>
    /// <example><code>FractionalStride.RootMeanSquare(seeds.Select(s => layer(Tensor.Randn(s, 1, 1, 3, 3))))</code></example>
    public static Tensor RootMeanSquare(IEnumerable<Tensor> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        double[]? sum = null;
        int[]? shape = null;
        int count = 0;
        foreach (Tensor sample in samples)
        {
            ArgumentNullException.ThrowIfNull(sample, nameof(samples));
            if (shape is null)
            {
                shape = sample.Shape;
                sum = new double[sample.Length];
            }
            else if (!sample.Dims.SequenceEqual(shape))
            {
                throw new ArgumentException(
                    $"All samples must have one shape, but sample 0 has shape {Tensor.ShapeText(shape)} and sample {count} has {Tensor.ShapeText(sample.Dims)}.", nameof(samples));
            }
            ReadOnlySpan<float> data = sample.Span;
            for (int i = 0; i < data.Length; i++) sum![i] += (double)data[i] * data[i];
            GC.KeepAlive(sample);
            count++;
        }
        if (shape is null) throw new ArgumentException("There must be at least one sample, but samples is empty.", nameof(samples));
        var result = new float[sum!.Length];
        for (int i = 0; i < result.Length; i++) result[i] = (float)Math.Sqrt(sum[i] / count);
        return Tensor.Wrap(shape, result);
    }

    /// <summary>The zero-insertion construction for a validated transposed call, in 2-D form (1-D has height 1).</summary>
    private static Tensor ByZeroInsertion(Tensor input, Tensor weight, Tensor? bias, in ConvGeometry g)
    {
        int beforeH = g.DilationH * (g.KernelH - 1) - g.PadH, beforeW = g.DilationW * (g.KernelW - 1) - g.PadW;
        // The transposed formula minus the conv formula fixes the output padding: it is what the extra length is.
        int afterH = g.OutH + g.DilationH * (g.KernelH - 1) - ((g.InH - 1) * g.StrideH + 1) - beforeH;
        int afterW = g.OutW + g.DilationW * (g.KernelW - 1) - ((g.InW - 1) * g.StrideW + 1) - beforeW;
        Tensor spread = Embed(input, (g.StrideH, g.StrideW), (beforeH, afterH), (beforeW, afterW), "stride");
        Tensor convWeight = EquivalentConvWeight(weight, g.Groups);
        return Convolution.Conv2d(spread, convWeight, bias, stride: (1, 1), padding: (0, 0),
            dilation: (g.DilationH, g.DilationW), groups: g.Groups);
    }

    /// <summary>
    /// Places input (y, x) of the last two dimensions at (before.H + y·s_h, before.W + x·s_w) of a zero tensor that
    /// is larger by before and after on each axis; negative amounts crop, and elements that fall outside are dropped.
    /// </summary>
    private static Tensor Embed(Tensor input, (int H, int W) stride, (int Before, int After) rows, (int Before, int After) cols, string paramName)
    {
        ReadOnlySpan<int> dims = input.Dims;
        int h = dims[^2], w = dims[^1];
        long outH = (long)(h - 1) * stride.H + 1 + rows.Before + rows.After;
        long outW = (long)(w - 1) * stride.W + 1 + cols.Before + cols.After;
        var shape = new long[dims.Length];
        for (int d = 0; d < dims.Length; d++) shape[d] = dims[d];
        shape[^2] = outH;
        shape[^1] = outW;
        int[] resultShape = Guard.ResultShape(shape, paramName, "zero insertion");
        int oh = resultShape[^2], ow = resultShape[^1];
        int planes = input.Length / (h * w);
        ReadOnlySpan<float> x = input.Span;
        var output = new float[(long)planes * oh * ow];
        for (int plane = 0; plane < planes; plane++)
        {
            for (int y = 0; y < h; y++)
            {
                long r = rows.Before + (long)y * stride.H;
                if (r < 0 || r >= oh) continue;
                for (int c = 0; c < w; c++)
                {
                    long col = cols.Before + (long)c * stride.W;
                    if (col < 0 || col >= ow) continue;
                    output[((long)plane * oh + r) * ow + col] = x[(plane * h + y) * w + c];
                }
            }
        }
        GC.KeepAlive(input);
        return Tensor.Wrap(resultShape, output);
    }
}

/// <summary>The range of an image's values inside a border, from <see cref="FractionalStride.Interior"/>.</summary>
/// <param name="Border">The rows and columns left out on each side.</param>
/// <param name="Min">The smallest interior value.</param>
/// <param name="Max">The largest interior value.</param>
/// <param name="Mean">The mean of the interior values.</param>
public sealed record InteriorSpread(int Border, float Min, float Max, double Mean)
{
    /// <summary>Max / Min: 1 for an even image, the checkerboard's contrast otherwise (for positive images).</summary>
    public double Ratio => (double)Max / Min;
}
