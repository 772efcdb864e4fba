using MathNet.Numerics.LinearAlgebra;

namespace Conv.Notebook.Tests;

public class TensorTests
{
    [Fact]
    public void Constructor_copies_its_arguments()
    {
        int[] shape = [2, 2];
        float[] data = [1, 2, 3, 4];
        var t = new Tensor(shape, data);

        shape[0] = 9;
        data[0] = 9;
        t.Shape[1] = 9;
        t.ToArray()[1] = 9;

        Assert.Equal([2, 2], t.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, t.ToArray());
    }

    [Fact]
    public void Indexer_is_row_major()
    {
        var t = Tensor.Arange(24).Reshape(2, 3, 4);

        Assert.Equal(0f, t[0, 0, 0]);
        Assert.Equal(7f, t[0, 1, 3]);
        Assert.Equal(23f, t[1, 2, 3]);
        Assert.Equal(3, t.Size(-2));
        Assert.Equal(3, t.Rank);
        Assert.Equal(24, t.Length);
    }

    [Fact]
    public void Reshape_infers_one_dimension()
    {
        var t = Tensor.Arange(12).Reshape(-1, 4);

        Assert.Equal([3, 4], t.Shape);
        Assert.Equal(Tensor.Arange(12).ToArray(), t.ToArray());
    }

    [Fact]
    public void Randn_is_reproducible_and_standard_normal()
    {
        var a = Tensor.Randn(42, 100, 100);
        var b = Tensor.Randn(42, 100, 100);
        var c = Tensor.Randn(43, 100, 100);

        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), c.ToArray());
        var stats = new MathNet.Numerics.Statistics.DescriptiveStatistics(a.ToVector());
        Assert.InRange(stats.Mean, -0.05, 0.05);
        Assert.InRange(stats.StandardDeviation, 0.95, 1.05);
    }

    [Fact]
    public void Rand_stays_in_the_unit_interval()
    {
        float[] values = Tensor.Rand(7, 10_000).ToArray();

        Assert.All(values, v => Assert.InRange(v, 0f, MathF.BitDecrement(1f)));
        Assert.InRange(values.Average(), 0.45, 0.55);
    }

    [Fact]
    public void MathNet_matrix_round_trip_keeps_rows_and_columns()
    {
        var t = Tensor.Arange(6).Reshape(1, 1, 2, 3);

        Matrix<double> m = t.ToMatrix();
        Tensor back = Tensor.FromMatrix(m);

        Assert.Equal(2, m.RowCount);
        Assert.Equal(3, m.ColumnCount);
        Assert.Equal(5.0, m[1, 2]);
        Assert.Equal([2, 3], back.Shape);
        Assert.Equal(t.ToArray(), back.ToArray());
        Assert.Equal(t.ToArray(), Tensor.FromVector(t.ToVector()).ToArray());
    }

    [Fact]
    public void ToMatrix_refuses_several_channels()
    {
        var t = Tensor.Zeros(1, 2, 3, 3);

        var e = Assert.Throws<InvalidOperationException>(() => t.ToMatrix());
        Assert.Contains("(1, 2, 3, 3)", e.Message);
    }

    [Fact]
    public void ToString_prints_values_and_shape_like_PyTorch()
    {
        string text = Tensor.Arange(4).Reshape(2, 2).ToString();

        Assert.Equal("tensor([[0, 1],\n        [2, 3]], shape (2, 2))", text);
        Assert.Contains("0.5000", new Tensor([2], [0.5f, 1f]).ToString());
    }

    [Theory]
    [InlineData(new[] { 0, 3, 8, 8 }, "tensor([], shape (0, 3, 8, 8))")]
    [InlineData(new[] { 2, 0 }, "tensor([], shape (2, 0))")]
    [InlineData(new[] { 0 }, "tensor([], shape (0,))")]
    public void Empty_tensors_hold_no_elements_and_print_their_shape(int[] shape, string text)
    {
        Tensor empty = Tensor.Zeros(shape);

        Assert.Equal(0, empty.Length);
        Assert.Equal(shape, empty.Shape);
        Assert.Equal(text, empty.ToString());
        Assert.Equal(shape, new Tensor(shape, []).Reshape(shape).Shape);
        Assert.Equal(shape, Tensor.Randn(0, shape).Shape);
    }

    [Fact]
    public void ToString_summarizes_large_tensors()
    {
        string text = Tensor.Arange(5000).ToString();

        Assert.Contains("0,    1,    2, ..., 4997, 4998, 4999]", text);
        Assert.True(text.Length < 200, text);
    }

    [Fact]
    public void AllClose_compares_shape_and_values()
    {
        var a = new Tensor([2], [1f, 2f]);

        Assert.True(a.AllClose(new Tensor([2], [1f, 2.000001f])));
        Assert.False(a.AllClose(new Tensor([2], [1f, 2.1f])));
        Assert.False(a.AllClose(new Tensor([1, 2], [1f, 2f])));
    }
}
