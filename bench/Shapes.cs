namespace Conv.Notebook.Bench;

/// <summary>The operation a benchmark shape runs.</summary>
public enum Op
{
    Conv2d,
    Conv1d,
    ConvTranspose2d,
    Pad,
    MaxPool2d,
    AvgPool2d,
}

/// <summary>
/// One named call that the benchmarks and the comparison time: the operation, the input and weight shapes and the
/// parameters, in PyTorch's terms so that the PyTorch worker can build the same call.
/// </summary>
public sealed record Shape(
    string Name, Op Op, int[] Input, int[] Weight,
    (int H, int W) Stride, (int H, int W) Padding, (int H, int W) OutputPadding = default,
    int[]? Pads = null, PaddingMode Mode = PaddingMode.Zeros, (int H, int W) Window = default)
{
    /// <summary>The shapes the issue names, in the order the table shows them.</summary>
    public static IReadOnlyList<Shape> All { get; } =
    [
        new("layer 64→64 3×3 56² s1", Op.Conv2d, [1, 64, 56, 56], [64, 64, 3, 3], (1, 1), (1, 1)),
        new("layer 64→64 3×3 56² s2", Op.Conv2d, [1, 64, 56, 56], [64, 64, 3, 3], (2, 2), (1, 1)),
        new("layer 64→64 3×3 56² s4", Op.Conv2d, [1, 64, 56, 56], [64, 64, 3, 3], (4, 4), (1, 1)),
        new("layer 128→256 3×3 28² s2", Op.Conv2d, [1, 128, 28, 28], [256, 128, 3, 3], (2, 2), (1, 1)),
        new("stem 3→64 3×3 224² s2", Op.Conv2d, [1, 3, 224, 224], [64, 3, 3, 3], (2, 2), (1, 1)),
        new("stem 3→64 7×7 224² s2", Op.Conv2d, [1, 3, 224, 224], [64, 3, 7, 7], (2, 2), (3, 3)),
        new("exercise 1: 8×8, 3×5, p(0,1), s(3,4)", Op.Conv2d, [1, 1, 8, 8], [1, 1, 3, 5], (3, 4), (0, 1)),
        new("notebook 8×8, 3×3, p1", Op.Conv2d, [1, 1, 8, 8], [1, 1, 3, 3], (1, 1), (1, 1)),
        new("notebook 8×8, 3×3, p1, s2", Op.Conv2d, [1, 1, 8, 8], [1, 1, 3, 3], (2, 2), (1, 1)),
        new("notebook 8×8, 5×3, p(2,1)", Op.Conv2d, [1, 1, 8, 8], [1, 1, 5, 3], (1, 1), (2, 1)),
        new("notebook transposed 8×8, 4×4, s2, p1", Op.ConvTranspose2d, [1, 1, 8, 8], [1, 1, 4, 4], (2, 2), (1, 1)),
        new("conv1d 64→64 k3 L4096", Op.Conv1d, [1, 64, 4096], [64, 64, 3], (1, 1), (0, 1)),
        new("transposed 64→64 3×3 28² s2", Op.ConvTranspose2d, [1, 64, 28, 28], [64, 64, 3, 3], (2, 2), (1, 1), (1, 1)),
        new("pad reflect 64×224² by 1", Op.Pad, [1, 64, 224, 224], [], default, default, Pads: [1, 1, 1, 1], Mode: PaddingMode.Reflect),
        new("pad reflect 64×224² by 3", Op.Pad, [1, 64, 224, 224], [], default, default, Pads: [3, 3, 3, 3], Mode: PaddingMode.Reflect),
        new("max pool 2×2 64×56²", Op.MaxPool2d, [1, 64, 56, 56], [], (2, 2), (0, 0), Window: (2, 2)),
        new("avg pool 2×2 64×56²", Op.AvgPool2d, [1, 64, 56, 56], [], (2, 2), (0, 0), Window: (2, 2)),
        new("max pool 3×3 s2 p1 64×112² (ResNet stem)", Op.MaxPool2d, [1, 64, 112, 112], [], (2, 2), (1, 1), Window: (3, 3)),
    ];

    public static Shape Named(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"No benchmark shape is named '{name}'.", nameof(name));

    public static IEnumerable<string> NamesOf(Op op) => All.Where(s => s.Op == op).Select(s => s.Name);

    /// <summary>Multiply-accumulates of one call (zero for padding).</summary>
    public long MultiplyAccumulates => Op switch
    {
        Op.Conv2d or Op.Conv1d => ConvCost(),
        Op.ConvTranspose2d => (long)Input[0] * Input[1] * Input[2] * Input[3] * Weight[1] * Weight[2] * Weight[3],
        _ => 0,
    };

    /// <summary>The layer-sized calls (over a million multiply-accumulates), against the notebook-sized ones.</summary>
    public bool IsLarge => MultiplyAccumulates > 1_000_000;

    /// <summary>Whether the call moves data rather than multiplying it: padding and pooling.</summary>
    public bool MovesBytes => Op is Op.Pad or Op.MaxPool2d or Op.AvgPool2d;

    /// <summary>Bytes that padding or pooling reads and writes: the input once and the output once.</summary>
    public long MovedBytes
    {
        get
        {
            long input = Input.Aggregate(1L, (a, b) => a * b);
            long output = Op == Op.Pad
                ? (long)Input[0] * Input[1] * (Input[2] + Pads![2] + Pads[3]) * (Input[3] + Pads[0] + Pads[1])
                : (long)Input[0] * Input[1] * ConvShape.Output(Input[2], Window.H, Padding.H, Stride.H) * ConvShape.Output(Input[3], Window.W, Padding.W, Stride.W);
            return 4 * (input + output);
        }
    }

    private long ConvCost()
    {
        bool oneD = Op == Op.Conv1d;
        int h = oneD ? 1 : ConvShape.Output(Input[2], Weight[2], Padding.H, Stride.H);
        int w = ConvShape.Output(Input[^1], Weight[^1], Padding.W, Stride.W);
        long taps = Weight.Skip(1).Aggregate(1L, (a, b) => a * b);
        return (long)Input[0] * Weight[0] * h * w * taps;
    }

    /// <summary>Random inputs of this shape, built once per benchmark.</summary>
    public (Tensor Input, Tensor? Weight) Tensors()
    {
        Tensor input = Tensor.Randn(1, Input);
        Tensor? weight = Weight.Length == 0 ? null : Tensor.Randn(2, Weight);
        return (input, weight);
    }

    /// <summary>Runs the call once on the helper.</summary>
    public Tensor Run(Tensor input, Tensor? weight) => Op switch
    {
        Op.Conv2d => Convolution.Conv2d(input, weight!, null, Stride, Padding),
        Op.Conv1d => Convolution.Conv1d(input, weight!, null, Stride.W, Padding.W),
        Op.ConvTranspose2d => Convolution.ConvTranspose2d(input, weight!, null, Stride, Padding, OutputPadding),
        Op.MaxPool2d => Pooling.MaxPool2d(input, Window, Stride, Padding),
        Op.AvgPool2d => Pooling.AvgPool2d(input, Window, Stride, Padding),
        _ => Conv.Notebook.Padding.Pad(input, Pads!, Mode),
    };
}
