using System.Globalization;

namespace Conv.Notebook.Tests;

/// <summary>
/// Calls a hostile user makes, run by <see cref="HostileProcess"/> in a child process. Each returns null when the call
/// gives the plain reference's result (or both refuse it by name), or says what went wrong.
/// </summary>
public static class HostileCases
{
    private static readonly Convolution.Path[] Paths =
        [Convolution.Path.Auto, Convolution.Path.Reference, Convolution.Path.Small, Convolution.Path.Fast];

    /// <summary>The cases of the memory-safety and stride sections, by name.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string?>> Named = new Dictionary<string, Func<string?>>
    {
        ["transposed-dilation-70000"] = () => Compare(
            () => Convolution.ConvTranspose2d(Tensor.Randn(0, 1, 256, 64, 64), Tensor.Randn(1, 256, 1, 1, 2), dilation: (1, 70000)),
            () => ConvolutionReference.ConvTranspose2d(Tensor.Randn(0, 1, 256, 64, 64), Tensor.Randn(1, 256, 1, 1, 2), dilation: (1, 70000)),
            [1, 1, 64, 70064]),
        ["transposed-wide-at-64-threads"] = () => WithThreads(64, () => TransposedWide()),
        ["conv2d-stride-1000"] = () => StridedOneByOne(1000),
        ["conv2d-stride-2000"] = () => StridedOneByOne(2000),
        ["conv2d-stride-10000"] = () => StridedOneByOne(10000),
        ["conv2d-stride-max"] = () => StridedOneByOne(int.MaxValue),
        ["transposed-stride-46341"] = () => Bounded(16L << 20, () => Compare(
            () => Convolution.ConvTranspose2d(Tensor.Randn(0, 1, 64, 1, 1), Tensor.Randn(1, 64, 32, 1, 1), stride: (46341, 46341)),
            () => ConvolutionReference.ConvTranspose2d(Tensor.Randn(0, 1, 64, 1, 1), Tensor.Randn(1, 64, 32, 1, 1), stride: (46341, 46341)),
            [1, 32, 1, 1])),
        ["transposed-stride-max"] = () => Bounded(16L << 20, () => Compare(
            () => Convolution.ConvTranspose2d(Tensor.Randn(0, 1, 64, 1, 1), Tensor.Randn(1, 64, 32, 1, 1), stride: (int.MaxValue, int.MaxValue)),
            () => ConvolutionReference.ConvTranspose2d(Tensor.Randn(0, 1, 64, 1, 1), Tensor.Randn(1, 64, 32, 1, 1), stride: (int.MaxValue, int.MaxValue)),
            [1, 32, 1, 1])),
        // A kernel dilated across most of the input, with enough output rows for 16 bands: each band reads 125 of the 200
        // rows, and 16 copies of those would hold 10 times the input.
        ["conv2d-dilated-at-16-threads"] = () => WithThreads(16, () =>
        {
            Tensor x = Tensor.Randn(0, 1, 64, 200, 200), w = Tensor.Randn(1, 8, 64, 3, 3);
            return Bounded(3 * 4L * (x.Length + 8 * 80 * 198) + (64L << 20), () => Compare(
                () => Convolution.Conv2d(x, w, dilation: (60, 1)), () => ConvolutionReference.Conv2d(x, w, dilation: (60, 1)), [1, 8, 80, 198]));
        }),
        ["transposed-wide-default-threads"] = () => TransposedWide(),
        // Paddings near 2³⁰ on both axes, with strides to match, give 3 × 3 outputs; their padded copy would hold 2⁶⁴ floats.
        ["huge-padding-every-path"] = () => EveryPath(
            route => Convolution.Forward("Conv2d", false, Tensor.Randn(0, 2, 4, 2, 2), Tensor.Randn(1, 3, 4, 1, 1), null,
                (1 << 30, 1 << 30), (1 << 30, 1 << 30), (1, 1), 1, PaddingMode.Zeros, route),
            route => Convolution.Transposed("ConvTranspose2d", false, Tensor.Randn(2, 2, 4, 3, 3), Tensor.Randn(3, 4, 3, 1, 1), null,
                (1 << 30, 1 << 30), ((1 << 30) - 1, (1 << 30) - 1), (0, 0), (1, 1), 1, route)),
        // Ends the process, as a crash would: the test of the harness itself.
        ["crash"] = () =>
        {
            Environment.FailFast("a crash on purpose");
            return null;
        },
    };

    private static string? TransposedWide()
    {
        Tensor x = Tensor.Randn(0, 1, 32, 1030, 1030), w = Tensor.Randn(1, 32, 2, 1, 1);
        string? wrong = Bounded(3 * 4L * (x.Length + 2 * 1030 * 1030) + (64L << 20), () => Compare(
            () => Convolution.ConvTranspose2d(x, w), () => ConvolutionReference.ConvTranspose2d(x, w), [1, 2, 1030, 1030]));
        GC.KeepAlive(x);
        return wrong;
    }

    /// <summary>A 1 × 1 convolution whose stride is far beyond its 8 × 8 input: it must cost what its one output costs.</summary>
    private static string? StridedOneByOne(int stride)
    {
        Tensor x = Tensor.Randn(0, 1, 64, 8, 8), w = Tensor.Randn(1, 64, 64, 1, 1);
        return Bounded(16L << 20, () => Compare(() => Convolution.Conv2d(x, w, stride: (stride, stride)),
            () => ConvolutionReference.Conv2d(x, w, stride: (stride, stride)), [1, 64, 1, 1]));
    }

    /// <summary>Each call on every path and at 1 and 256 threads, against the plain loops.</summary>
    private static string? EveryPath(params Func<Convolution.Route, Tensor>[] calls)
    {
        foreach (Func<Convolution.Route, Tensor> call in calls)
        {
            Tensor expected = call(Convolution.Route.Plain);
            foreach (Convolution.Path path in Paths)
            {
                foreach (int threads in new[] { 1, 256 })
                {
                    string? wrong = Same(call(new Convolution.Route(path, null, threads)), expected);
                    if (wrong is not null) return $"path {path}, {threads} threads: {wrong}";
                }
            }
        }
        return null;
    }

    private static string? WithThreads(int threads, Func<string?> check)
    {
        int before = Convolution.MaxDegreeOfParallelism;
        Convolution.MaxDegreeOfParallelism = threads;
        try
        {
            return check();
        }
        finally
        {
            Convolution.MaxDegreeOfParallelism = before;
        }
    }

    /// <summary>The check, and whether the heap grew by more than <paramref name="bytes"/> during it.</summary>
    private static string? Bounded(long bytes, Func<string?> check)
    {
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        string? wrong = check();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        // The reference's own output is allocated too; a bound a few times the call's data leaves room for it.
        return wrong ?? (allocated > bytes ? $"allocated {allocated:N0} bytes, more than {bytes:N0}" : null);
    }

    private static string? Compare(Func<Tensor> call, Func<Tensor> reference, int[] shape)
    {
        Tensor expected = reference();
        if (!expected.Shape.SequenceEqual(shape)) return $"the reference's shape is {string.Join("×", expected.Shape)}";
        return Same(call(), expected);
    }

    private static string? Same(Tensor actual, Tensor expected)
    {
        if (!actual.Shape.SequenceEqual(expected.Shape))
        {
            return $"shape {string.Join("×", actual.Shape)}, the reference's {string.Join("×", expected.Shape)}";
        }
        float[] a = actual.ToArray(), b = expected.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            bool close = a[i] == b[i] || (float.IsNaN(a[i]) && float.IsNaN(b[i])) ||
                (float.IsFinite(a[i] - b[i]) && Math.Abs(a[i] - b[i]) <= 1e-3f + 1e-3f * Math.Abs(b[i]));
            if (!close) return $"element {i} is {a[i]}, the reference's {b[i]}";
        }
        return null;
    }

    /// <summary>One random call of the fuzz test: what it is, and its check against the plain reference.</summary>
    public readonly record struct FuzzCase(string Text, Func<string?> Check);

    private static readonly int[] Huge = [1000, 46341, 70000, 1 << 20, int.MaxValue / 2, int.MaxValue];

    /// <summary>
    /// Call <paramref name="index"/> of the fuzz run <paramref name="seed"/>: a random shape, stride, padding, dilation,
    /// groups, path and thread count (1 to 256), some of them extreme, and sometimes NaN or ±∞ among the values.
    /// </summary>
    public static FuzzCase Fuzz(int seed, int index)
    {
        var rng = new Random(HashCode.Combine(seed, index));
        if (rng.Next(5) == 0) return FuzzPool(rng, index);
        while (true)
        {
            bool oneD = rng.Next(2) == 0, transposed = rng.Next(2) == 0;
            // One call in 25 is large enough for the fast kernels' bands and tiles on many threads.
            int scale = rng.Next(25) == 0 ? 4 : 1;
            int Size(int most) => rng.Next(1, most + 1);
            int Extreme(int usual) => rng.Next(5) == 0 ? Huge[rng.Next(Huge.Length)] : usual;
            int groups = Size(3), batch = Size(2);
            int inChannels = groups * Size(3 * scale), outChannels = groups * Size(3 * scale);
            int h = oneD ? 1 : Size(12 * scale), w = Size((oneD ? 40 : 12) * scale);
            int kh = oneD ? 1 : Size(4), kw = Size(4);
            (int H, int W) stride = (oneD ? 1 : Extreme(Size(3)), Extreme(Size(3)));
            (int H, int W) dilation = (oneD ? 1 : Extreme(Size(3)), Extreme(Size(3)));
            (int H, int W) padding = (oneD ? 0 : Extreme(rng.Next(4)), Extreme(rng.Next(4)));
            (int H, int W) outputPadding = (0, 0);
            if (transposed && rng.Next(3) == 0)
            {
                outputPadding = (oneD ? 0 : rng.Next(Math.Min(Math.Max(stride.H, dilation.H), 1 << 20)),
                    rng.Next(Math.Min(Math.Max(stride.W, dilation.W), 1 << 20)));
            }
            PaddingMode mode = transposed || rng.Next(3) > 0 ? PaddingMode.Zeros : (PaddingMode)rng.Next(4);
            // Calls whose output or work would take the plain loops more than a moment are drawn again.
            long outH = transposed ? (h - 1L) * stride.H - 2L * padding.H + (long)dilation.H * (kh - 1) + outputPadding.H + 1
                : (h + 2L * padding.H - (long)dilation.H * (kh - 1) - 1) / stride.H + 1;
            long outW = transposed ? (w - 1L) * stride.W - 2L * padding.W + (long)dilation.W * (kw - 1) + outputPadding.W + 1
                : (w + 2L * padding.W - (long)dilation.W * (kw - 1) - 1) / stride.W + 1;
            long outputs = (long)batch * outChannels * Math.Abs(outH) * Math.Abs(outW);
            if (outputs > 1 << 20 || outputs * inChannels / groups * kh * kw > 1 << 24) continue;
            if (outputs > 0 && outH > 0 && outW > 0 && (long)batch * inChannels * h * w * outChannels * kh * kw > 1 << 24) continue;

            Convolution.Path path = Paths[rng.Next(Paths.Length)];
            KernelKind? kind = rng.Next(2) == 0 ? KernelKind.Portable : null;
            int threads = rng.Next(3) == 0 ? 256 : rng.Next(1, 257);
            float special = rng.Next(4) switch { 0 => float.PositiveInfinity, 1 => float.NegativeInfinity, 2 => float.NaN, _ => 0f };
            int[] inputShape = oneD ? [batch, inChannels, w] : [batch, inChannels, h, w];
            int[] weightShape = (oneD, transposed) switch
            {
                (true, false) => [outChannels, inChannels / groups, kw],
                (false, false) => [outChannels, inChannels / groups, kh, kw],
                (true, true) => [inChannels, outChannels / groups, kw],
                (false, true) => [inChannels, outChannels / groups, kh, kw],
            };
            Tensor input = WithSpecial(Tensor.Randn(rng.Next(), inputShape), special, rng);
            Tensor weight = WithSpecial(Tensor.Randn(rng.Next(), weightShape), special, rng);
            Tensor? bias = rng.Next(2) == 0 ? Tensor.Randn(rng.Next(), outChannels) : null;
            string text = string.Create(CultureInfo.InvariantCulture,
                $"#{index} {(transposed ? "ConvTranspose" : "Conv")}{(oneD ? "1d" : "2d")} input {string.Join("×", inputShape)} weight {string.Join("×", weightShape)} " +
                $"bias {bias is not null} stride {stride} padding {padding} outputPadding {outputPadding} dilation {dilation} groups {groups} " +
                $"mode {mode} special {special} path {path} kind {kind} threads {threads}");
            var route = new Convolution.Route(path, kind, threads);
            string op = (transposed ? "ConvTranspose" : "Conv") + (oneD ? "1d" : "2d");
            Tensor Run(Convolution.Route r) => transposed
                ? Convolution.Transposed(op, oneD, input, weight, bias, stride, padding, outputPadding, dilation, groups, r)
                : Convolution.Forward(op, oneD, input, weight, bias, stride, padding, dilation, groups, mode, r);
            return new FuzzCase(text, () =>
            {
                Tensor expected;
                try
                {
                    expected = Run(Convolution.Route.Plain);
                }
                catch (ArgumentException refused) when (!string.IsNullOrEmpty(refused.ParamName))
                {
                    try
                    {
                        Run(route);
                        return $"the reference refuses ({refused.ParamName}: {refused.Message}), this path does not";
                    }
                    catch (ArgumentException e) when (e.ParamName == refused.ParamName)
                    {
                        return null;
                    }
                }
                return Same(Run(route), expected);
            });
        }
    }

    /// <summary>A random pooling call, some of its kernel, stride and padding extreme, the vectorised loops against the plain.</summary>
    private static FuzzCase FuzzPool(Random rng, int index)
    {
        bool oneD = rng.Next(2) == 0, max = rng.Next(2) == 0;
        int h = oneD ? 1 : rng.Next(1, 13), w = rng.Next(1, 40);
        int Extreme(int usual) => rng.Next(5) == 0 ? Huge[rng.Next(Huge.Length)] : usual;
        (int H, int W) kernel = (oneD ? 1 : Extreme(rng.Next(1, 4)), Extreme(rng.Next(1, 4)));
        (int H, int W) stride = (oneD ? 1 : Extreme(rng.Next(1, 4)), Extreme(rng.Next(1, 4)));
        (int H, int W) padding = (oneD ? 0 : rng.Next(kernel.H / 2 + 1), rng.Next(kernel.W / 2 + 1));
        int[] shape = oneD ? [2, 3, w] : [2, 3, h, w];
        float special = rng.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => 0f };
        Tensor input = WithSpecial(Tensor.Randn(rng.Next(), shape), special, rng);
        string op = (max ? "MaxPool" : "AvgPool") + (oneD ? "1d" : "2d");
        string text = string.Create(CultureInfo.InvariantCulture,
            $"#{index} {op} input {string.Join("×", shape)} kernel {kernel} stride {stride} padding {padding} special {special}");
        return new FuzzCase(text, () =>
        {
            Tensor expected;
            try
            {
                expected = Pooling.Pool(op, oneD, max, input, kernel, stride, padding, vectorized: false);
            }
            catch (ArgumentException refused) when (!string.IsNullOrEmpty(refused.ParamName))
            {
                try
                {
                    Pooling.Pool(op, oneD, max, input, kernel, stride, padding);
                    return $"the plain loop refuses ({refused.ParamName}: {refused.Message}), the vectorised does not";
                }
                catch (ArgumentException e) when (e.ParamName == refused.ParamName)
                {
                    return null;
                }
            }
            return Same(Pooling.Pool(op, oneD, max, input, kernel, stride, padding), expected);
        });
    }

    private static Tensor WithSpecial(Tensor t, float special, Random rng)
    {
        if (special == 0f || rng.Next(2) == 0) return t;
        float[] values = t.ToArray();
        values[rng.Next(values.Length)] = special;
        return new Tensor(t.Shape, values);
    }
}
