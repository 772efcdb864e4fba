using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Conv.Notebook.Bench;

/// <summary>
/// One shape's ONNX model in ONNX Runtime, in this process, set up as a careful C# user would for calling it again and
/// again: one session at a given thread count, the input and a preallocated output bound once as tensors over pinned
/// arrays, so that a call allocates nothing on the .NET side and ONNX Runtime writes straight into the output array.
/// </summary>
public sealed class OnnxRuntimeCall : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input, _output;
    private readonly OrtIoBinding _binding;

    /// <summary>The output array that every call overwrites.</summary>
    public float[] Output { get; }

    /// <summary>The session options the comparison uses, in words, for the table's header.</summary>
    public const string Settings =
        "IntraOpNumThreads = the thread count, InterOpNumThreads = 1, ExecutionMode.ORT_SEQUENTIAL, " +
        "GraphOptimizationLevel.ORT_ENABLE_ALL, the rest as ONNX Runtime sets them (CPU memory arena on, memory " +
        "patterns on, intra-op threads spinning)";

    /// <summary>
    /// Loads <paramref name="model"/> (one input named "input" and one output named "output", shapes fixed by the
    /// export) for calls on <paramref name="input"/>, which the bound tensor reads in place.
    /// </summary>
    public OnnxRuntimeCall(string model, float[] input, int[] inputShape, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        long[] outputShape = _session.OutputMetadata["output"].Dimensions.Select(d => (long)d).ToArray();
        Output = new float[outputShape.Aggregate(1L, (a, b) => a * b)];
        // Both arrays stay pinned while their OrtValues live: ONNX Runtime reads and writes them without copies.
        _input = OrtValue.CreateTensorValueFromMemory(input, inputShape.Select(d => (long)d).ToArray());
        _output = OrtValue.CreateTensorValueFromMemory(Output, outputShape);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("input", _input);
        _binding.BindOutput("output", _output);
    }

    /// <summary>ONNX Runtime's version, e.g. "1.32.0".</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>One call: ONNX Runtime runs the graph on the bound input into <see cref="Output"/>.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    /// <summary>Seconds that <paramref name="iterations"/> calls take.</summary>
    public double Time(int iterations)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) Run();
        return clock.Elapsed.TotalSeconds;
    }

    public void Dispose()
    {
        _binding.Dispose();
        _output.Dispose();
        _input.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
