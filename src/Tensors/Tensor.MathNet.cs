using MathNet.Numerics.LinearAlgebra;

namespace Conv.Notebook;

public sealed partial class Tensor
{
    /// <summary>
    /// The last two dimensions as a MathNet matrix (height × width), for tensors whose other
    /// dimensions are all 1, such as a single-channel image <c>(1, 1, H, W)</c>.
    /// </summary>
    /// <example><code>Matrix&lt;double&gt; m = Tensor.Arange(6).Reshape(1, 1, 2, 3).ToMatrix();</code></example>
    public Matrix<double> ToMatrix()
    {
        if (_shape.Length < 2)
        {
            throw new InvalidOperationException($"A matrix needs at least two dimensions, but this tensor has shape {ShapeText(_shape)}.");
        }
        for (int d = 0; d < _shape.Length - 2; d++)
        {
            if (_shape[d] != 1)
            {
                throw new InvalidOperationException(
                    $"Only the last two dimensions may be larger than 1 to make a matrix, but dimension {d} of shape {ShapeText(_shape)} is {_shape[d]}; select one channel first.");
            }
        }
        int rows = _shape[^2], cols = _shape[^1];
        float[] data = _data;
        Matrix<double> matrix = Matrix<double>.Build.Dense(rows, cols, (r, c) => data[r * cols + c]);
        GC.KeepAlive(this);
        return matrix;
    }

    /// <summary>All elements, row-major, as a MathNet vector.</summary>
    /// <example><code>double mean = MathNet.Numerics.Statistics.Statistics.Mean(x.ToVector());</code></example>
    public Vector<double> ToVector()
    {
        float[] data = _data;
        Vector<double> vector = Vector<double>.Build.Dense(data.Length, i => data[i]);
        GC.KeepAlive(this);
        return vector;
    }

    /// <summary>A 2-D tensor of shape (rows, columns) from a MathNet matrix, rounded to float32.</summary>
    /// <param name="matrix">The matrix, at least 1 × 1.</param>
    /// <example><code>Tensor k = Tensor.FromMatrix(Matrix&lt;double&gt;.Build.DenseIdentity(3));</code></example>
    public static Tensor FromMatrix(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int rows = matrix.RowCount, cols = matrix.ColumnCount;
        Guard.ElementCount([rows, cols], nameof(matrix));
        var data = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                data[r * cols + c] = (float)matrix[r, c];
        return Wrap([rows, cols], data);
    }

    /// <summary>A 1-D tensor from a MathNet vector, rounded to float32.</summary>
    /// <param name="vector">The vector, at least one element.</param>
    /// <example><code>Tensor s = Tensor.FromVector(Vector&lt;double&gt;.Build.Dense(16, i => Math.Sin(i)));</code></example>
    public static Tensor FromVector(Vector<double> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        Guard.ElementCount([vector.Count], nameof(vector));
        var data = new float[vector.Count];
        for (int i = 0; i < data.Length; i++) data[i] = (float)vector[i];
        return Wrap([data.Length], data);
    }
}
