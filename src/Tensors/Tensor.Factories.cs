using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace Conv.Notebook;

public sealed partial class Tensor
{
    /// <summary>A tensor of the given shape filled with zeros.</summary>
    /// <param name="shape">The size of each dimension, each at least 0 (0 for an empty tensor).</param>
    /// <example><code>Tensor x = Tensor.Zeros(1, 1, 8, 8);</code></example>
    public static Tensor Zeros(params int[] shape) => Full(shape, 0f);

    /// <summary>A tensor of the given shape filled with one value.</summary>
    /// <param name="shape">The size of each dimension, each at least 0 (0 for an empty tensor).</param>
    /// <param name="value">The value of every element.</param>
    /// <example><code>Tensor ones = Tensor.Full([3, 3], 1f);</code></example>
    public static Tensor Full(int[] shape, float value)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = Guard.ElementCount(shape, nameof(shape), allowEmpty: true);
        var data = new float[count];
        if (value != 0f) Array.Fill(data, value);
        return Wrap((int[])shape.Clone(), data);
    }

    /// <summary>The numbers 0, 1, …, <paramref name="count"/> − 1 as a 1-D tensor, as <c>torch.arange</c>; reshape it to taste.</summary>
    /// <param name="count">How many numbers, at least 1.</param>
    /// <example><code>Tensor x = Tensor.Arange(16).Reshape(1, 1, 4, 4);</code></example>
    public static Tensor Arange(int count)
    {
        Guard.AtLeastOne(count, nameof(count), "number of elements");
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = i;
        return Wrap([count], data);
    }

    /// <summary>A 2-D tensor of shape (rows, columns) whose element (r, c) is <paramref name="value"/>(r, c).</summary>
    /// <param name="rows">The number of rows, at least 1.</param>
    /// <param name="columns">The number of columns, at least 1.</param>
    /// <param name="value">The element at each row and column.</param>
    /// <example><code>Tensor ramp = Tensor.FromFunction(8, 8, (r, c) => r + c);</code></example>
    public static Tensor FromFunction(int rows, int columns, Func<int, int, float> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Guard.ElementCount([rows, columns], rows < 1 ? nameof(rows) : nameof(columns));
        var data = new float[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                data[r * columns + c] = value(r, c);
        return Wrap([rows, columns], data);
    }

    /// <summary>A 1-D tensor holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The elements, at least one.</param>
    /// <example><code>Tensor signal = Tensor.FromArray([1f, 2f, 3f]);</code></example>
    public static Tensor FromArray(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Tensor([values.Length], values);
    }

    /// <summary>A 2-D tensor of shape (rows, columns) holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The elements; C# stores a <c>float[,]</c> row-major, as the tensor does.</param>
    /// <example><code>Tensor x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });</code></example>
    public static Tensor FromArray(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        Guard.ElementCount([rows, cols], nameof(values));
        var data = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                data[r * cols + c] = values[r, c];
        return Wrap([rows, cols], data);
    }

    /// <summary>
    /// A tensor of standard normal samples (mean 0, standard deviation 1), the same for the same seed
    /// on every machine, as <c>torch.randn</c> after <c>torch.manual_seed</c> (the numbers differ from PyTorch's).
    /// </summary>
    /// <param name="seed">The seed of the Mersenne Twister that draws the samples.</param>
    /// <param name="shape">The size of each dimension, each at least 0 (0 for an empty tensor).</param>
    /// <example><code>Tensor x = Tensor.Randn(seed: 0, 1, 3, 32, 32);</code></example>
    public static Tensor Randn(int seed, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = Guard.ElementCount(shape, nameof(shape), allowEmpty: true);
        var data = new float[count];
        var source = new MersenneTwister(seed);
        for (long i = 0; i < count; i++) data[i] = (float)Normal.Sample(source, 0, 1);
        return Wrap((int[])shape.Clone(), data);
    }

    private static readonly float MaxBelowOne = MathF.BitDecrement(1f);

    /// <summary>
    /// A tensor of samples drawn uniformly from [0, 1), the same for the same seed on every machine, as <c>torch.rand</c>.
    /// </summary>
    /// <param name="seed">The seed of the Mersenne Twister that draws the samples.</param>
    /// <param name="shape">The size of each dimension, each at least 0 (0 for an empty tensor).</param>
    /// <example><code>Tensor noise = Tensor.Rand(seed: 1, 8, 8);</code></example>
    public static Tensor Rand(int seed, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = Guard.ElementCount(shape, nameof(shape), allowEmpty: true);
        var data = new float[count];
        var source = new MersenneTwister(seed);
        for (long i = 0; i < count; i++)
        {
            // Rounding to float can turn a double just below 1 into 1; keep the interval half-open.
            data[i] = Math.Min((float)source.NextDouble(), MaxBelowOne);
        }
        return Wrap((int[])shape.Clone(), data);
    }
}
