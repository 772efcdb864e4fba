namespace Conv.Notebook;

/// <summary>
/// A dense float32 tensor stored row-major, with shapes written as in PyTorch: an image batch is
/// <c>(N, C, H, W)</c>, a single image <c>(C, H, W)</c>, a signal <c>(C, L)</c>.
/// </summary>
/// <remarks>
/// The tensor is immutable: every operation returns a new tensor, so a notebook cell can be rerun
/// without an earlier run having changed its inputs.
/// </remarks>
/// <example>
/// <code>
/// var x = new Tensor([2, 3], [1, 2, 3, 4, 5, 6]);
/// float v = x[1, 2];           // 6
/// Tensor y = x.Reshape(3, 2);  // same data, shape (3, 2)
/// </code>
/// </example>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    private readonly float[] _data;

    /// <summary>
    /// For elements lent by <see cref="ResultMemory"/>, the object that keeps them from being lent again: every tensor
    /// over the same elements (a reshape) holds it, and the pool takes the elements back once none does.
    /// </summary>
    private readonly object? _owner;

    /// <summary>Creates a tensor from a shape and row-major data; both are copied.</summary>
    /// <param name="shape">The size of each dimension, at least 0: a size of 0 makes an empty tensor, as PyTorch's batch of none.</param>
    /// <param name="data">The elements in row-major order; the length must be the product of <paramref name="shape"/>.</param>
    /// <exception cref="ArgumentException">The shape has no dimensions or a negative size, or the data length does not match it.</exception>
    /// <example><code>var image = new Tensor([1, 1, 2, 2], [1, 2, 3, 4]);</code></example>
    public Tensor(int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = Guard.ElementCount(shape, nameof(shape), allowEmpty: true);
        if (data.LongLength != count)
        {
            throw new ArgumentException(
                $"The data length must equal the product of the shape {ShapeText(shape)} = {count}, but it is {data.LongLength}.",
                nameof(data));
        }
        _shape = (int[])shape.Clone();
        _data = (float[])data.Clone();
    }

    /// <summary>Wraps arrays that this assembly has just made, or another tensor's elements with their owner, without copying them.</summary>
    private Tensor(int[] shape, float[] data, object? owner)
    {
        _shape = shape;
        _data = data;
        _owner = owner;
    }

    /// <summary>Wraps a freshly computed result; the caller gives up the arrays.</summary>
    internal static Tensor Wrap(int[] shape, float[] data) => new(shape, data, owner: null);

    /// <summary>
    /// A result whose <paramref name="length"/> elements the caller writes next, through <see cref="Writable"/>. Large
    /// results take their elements from <see cref="ResultMemory"/>. For small ones the tensor object is made before its
    /// elements: a collection that starts while they are allocated finds nothing alive but the tensor, whereas a tensor
    /// made after a computed result would start the collections itself and have the collector copy its result each time.
    /// </summary>
    internal static Tensor Uninitialized(int[] shape, int length)
    {
        if (length < ResultMemory.MinimumLength) return new(shape, length);
        float[] data = ResultMemory.Rent(length, out object owner);
        return new(shape, data, owner);
    }

    private Tensor(int[] shape, int length)
    {
        _shape = shape;
        _data = GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>The size of each dimension, outermost first (a copy).</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements: the product of the shape.</summary>
    public int Length => _data.Length;

    /// <summary>The size of dimension <paramref name="dim"/>; a negative index counts from the end, as in PyTorch.</summary>
    /// <param name="dim">The dimension, from <c>-Rank</c> to <c>Rank - 1</c>.</param>
    /// <example><code>int width = image.Size(-1);</code></example>
    public int Size(int dim) => _shape[NormalizeDim(dim, nameof(dim))];

    /// <summary>The elements in row-major order (a copy).</summary>
    /// <example><code>float[] values = new Tensor([2], [1, 2]).ToArray(); // [1, 2]</code></example>
    public float[] ToArray()
    {
        var copy = (float[])_data.Clone();
        GC.KeepAlive(this);
        return copy;
    }

    /// <summary>
    /// The elements without copying, for code in this assembly that only reads them. The elements may be lent by
    /// <see cref="ResultMemory"/>: whoever reads them keeps this tensor alive until done (<see cref="GC.KeepAlive"/>).
    /// </summary>
    internal ReadOnlySpan<float> Span => _data;

    /// <summary>The elements of a tensor made by <see cref="Uninitialized"/>, for the operation that fills it.</summary>
    internal Span<float> Writable => _data;

    /// <summary>The shape without copying, for code in this assembly that only reads it.</summary>
    internal ReadOnlySpan<int> Dims => _shape;

    /// <summary>The element at the given index, one coordinate per dimension.</summary>
    /// <param name="index">One coordinate per dimension; each from 0 to that size minus 1.</param>
    /// <example><code>float corner = image[0, 0, 1, 1];</code></example>
    public float this[params int[] index]
    {
        get
        {
            float value = _data[Offset(index)];
            GC.KeepAlive(this);
            return value;
        }
    }

    /// <summary>
    /// The same elements under another shape with the same element count; one dimension may be
    /// <c>-1</c> and is then inferred, as in PyTorch.
    /// </summary>
    /// <param name="shape">The new shape.</param>
    /// <example><code>Tensor image = new Tensor([4], [1, 2, 3, 4]).Reshape(1, 1, 2, 2);</code></example>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] resolved = (int[])shape.Clone();
        int inferred = Array.IndexOf(resolved, -1);
        if (inferred >= 0)
        {
            if (Array.IndexOf(resolved, -1, inferred + 1) >= 0)
            {
                throw new ArgumentException($"Only one dimension of the shape may be -1, but {ShapeText(shape)} has more.", nameof(shape));
            }
            long known = 1;
            for (int i = 0; i < resolved.Length; i++)
            {
                if (i == inferred) continue;
                if (resolved[i] < 1)
                {
                    throw new ArgumentException($"Every dimension of the shape must be at least 1 (or -1 for one inferred dimension), but {ShapeText(shape)} has {resolved[i]} at dimension {i}.", nameof(shape));
                }
                known *= resolved[i];
                if (known > Array.MaxLength)
                {
                    throw new ArgumentException($"The shape {ShapeText(shape)} asks for more than the {Array.MaxLength} elements that one float array can hold, but the tensor has {_data.Length}.", nameof(shape));
                }
            }
            if (_data.Length % known != 0)
            {
                throw new ArgumentException($"The shape {ShapeText(shape)} cannot hold {_data.Length} elements: {_data.Length} is not a multiple of {known}.", nameof(shape));
            }
            resolved[inferred] = (int)(_data.Length / known);
        }
        long count = Guard.ElementCount(resolved, nameof(shape), allowEmpty: true);
        if (count != _data.Length)
        {
            throw new ArgumentException($"The shape {ShapeText(shape)} holds {count} elements, but the tensor of shape {ShapeText(_shape)} has {_data.Length}.", nameof(shape));
        }
        return new(resolved, _data, _owner);
    }

    private int Offset(int[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Length != _shape.Length)
        {
            throw new ArgumentException($"The index must have one coordinate per dimension ({_shape.Length} for shape {ShapeText(_shape)}), but it has {index.Length}.", nameof(index));
        }
        int offset = 0;
        for (int d = 0; d < index.Length; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d])
            {
                throw new ArgumentOutOfRangeException(nameof(index), index[d],
                    $"Coordinate {d} of the index must be from 0 to {_shape[d] - 1} for shape {ShapeText(_shape)}, but it is {index[d]}.");
            }
            offset = offset * _shape[d] + index[d];
        }
        return offset;
    }

    private int NormalizeDim(int dim, string paramName)
    {
        int d = dim < 0 ? dim + _shape.Length : dim;
        if ((uint)d >= (uint)_shape.Length)
        {
            throw new ArgumentOutOfRangeException(paramName, dim,
                $"The dimension must be from {-_shape.Length} to {_shape.Length - 1} for a tensor of rank {_shape.Length}, but it is {dim}.");
        }
        return d;
    }

    /// <summary>Writes a shape the way PyTorch prints it, for example <c>(1, 1, 8, 8)</c>.</summary>
    /// <param name="shape">The shape to write.</param>
    /// <example><code>Tensor.ShapeText([1, 1, 8, 8]) // "(1, 1, 8, 8)"</code></example>
    public static string ShapeText(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 1) return $"({shape[0]},)";
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "(" + string.Join(", ", parts) + ")";
    }
}
