using BenchmarkDotNet.Attributes;

namespace Conv.Notebook.Bench;

/// <summary>
/// The helper on one named shape, at one thread and at all cores. The memory diagnoser shows what a call allocates:
/// the output tensor and nothing else, since workspaces come from a pool.
/// </summary>
[MemoryDiagnoser]
public abstract class ShapeBenchmark
{
    private Tensor _input = null!;
    private Tensor? _weight;
    private Shape _shape = null!;

    /// <summary>The shape's name, from <see cref="Shape.All"/>.</summary>
    public abstract string Name { get; set; }

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>One thread and all cores; an operation that runs on one thread whatever the setting overrides it.</summary>
    public virtual IEnumerable<int> ThreadCounts => Options.DefaultThreads;

    [GlobalSetup]
    public void Setup()
    {
        _shape = Shape.Named(Name);
        (_input, _weight) = _shape.Tensors();
        Convolution.MaxDegreeOfParallelism = Threads;
    }

    [Benchmark]
    public Tensor Helper() => _shape.Run(_input, _weight);
}

public class Conv2dBenchmarks : ShapeBenchmark
{
    [ParamsSource(nameof(Names))]
    public override string Name { get; set; } = "";

    public static IEnumerable<string> Names => Shape.NamesOf(Op.Conv2d);
}

public class Conv1dBenchmarks : ShapeBenchmark
{
    [ParamsSource(nameof(Names))]
    public override string Name { get; set; } = "";

    public static IEnumerable<string> Names => Shape.NamesOf(Op.Conv1d);
}

public class ConvTranspose2dBenchmarks : ShapeBenchmark
{
    [ParamsSource(nameof(Names))]
    public override string Name { get; set; } = "";

    public static IEnumerable<string> Names => Shape.NamesOf(Op.ConvTranspose2d);
}

public class Pool2dBenchmarks : ShapeBenchmark
{
    [ParamsSource(nameof(Names))]
    public override string Name { get; set; } = "";

    public static IEnumerable<string> Names => Shape.NamesOf(Op.MaxPool2d).Concat(Shape.NamesOf(Op.AvgPool2d));

    /// <summary>Pooling runs on the calling thread alone.</summary>
    public override IEnumerable<int> ThreadCounts => [1];
}

/// <summary>Reflect padding beside a plain copy of the same number of output bytes into a new array, its speed limit.</summary>
[MemoryDiagnoser]
public class PadBenchmarks
{
    private Tensor _input = null!;
    private Shape _shape = null!;
    private float[] _source = [];
    private int _outputLength;

    [ParamsSource(nameof(Names))]
    public string Name { get; set; } = "";

    public static IEnumerable<string> Names => Shape.NamesOf(Op.Pad);

    [GlobalSetup]
    public void Setup()
    {
        _shape = Shape.Named(Name);
        (_input, _) = _shape.Tensors();
        _source = _input.ToArray();
        _outputLength = Padding.Pad(_input, _shape.Pads!, _shape.Mode).Length;
    }

    [Benchmark]
    public Tensor Pad() => Padding.Pad(_input, _shape.Pads!, _shape.Mode);

    [Benchmark(Baseline = true)]
    public float[] CopyOfSameSize() => PlainCopy.Run(_source, _outputLength);
}

/// <summary>The yardstick of padding: a new array of the padded size, filled by one block copy of the input.</summary>
public static class PlainCopy
{
    public static float[] Run(float[] source, int length)
    {
        float[] target = GC.AllocateUninitializedArray<float>(length);
        source.AsSpan(0, Math.Min(source.Length, length)).CopyTo(target);
        if (length > source.Length) source.AsSpan(0, length - source.Length).CopyTo(target.AsSpan(source.Length));
        return target;
    }
}

/// <summary>
/// The fast kernels alone on the large 2-D shapes, writing into one output array that every call reuses: the work of
/// <see cref="Conv2dBenchmarks"/> without a fresh output, so the difference between the two is what the output's
/// memory costs a call (its allocation, the collections it brings and the cache misses of writing new memory).
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private Tensor _input = null!;
    private Tensor _weight = null!;
    private float[] _output = [];
    private ConvGeometry _geometry;

    [ParamsSource(nameof(Names))]
    public string Name { get; set; } = "";

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<string> Names =>
        Shape.All.Where(s => s.Op == Op.Conv2d && s.IsLarge).Select(s => s.Name);

    public static IEnumerable<int> ThreadCounts => Options.DefaultThreads;

    [GlobalSetup]
    public void Setup()
    {
        Shape shape = Shape.Named(Name);
        (_input, Tensor? weight) = shape.Tensors();
        _weight = weight!;
        _geometry = ConvGeometry.Create("Conv2d", oneD: false, transposed: false, shape.Input, shape.Weight, null, 0,
            shape.Stride, shape.Padding, (1, 1), (0, 0), 1, PaddingMode.Zeros);
        _output = new float[(long)_geometry.Batch * _geometry.OutChannels * _geometry.OutH * _geometry.OutW];
    }

    [Benchmark]
    public void Kernel() => FastConvolution.Forward(_input.Span, _weight.Span, default, _geometry, PaddingMode.Zeros, _output,
        MicroKernels.Best ?? KernelKind.Portable, Threads, _weight);
}
