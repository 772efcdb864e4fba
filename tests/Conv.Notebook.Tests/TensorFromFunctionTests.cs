using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary><see cref="Tensor.FromFunction"/>: element (r, c) is f(r, c), and bad sizes fail before f is called.</summary>
public sealed class TensorFromFunctionTests
{
    [Fact]
    public void Element_r_c_is_the_function_of_r_and_c()
    {
        var gen =
            from rows in Gen.Int[1, 20]
            from columns in Gen.Int[1, 20]
            from a in Gen.Float[-3f, 3f]
            from b in Gen.Float[-3f, 3f]
            select (rows, columns, a, b);
        gen.Sample(c =>
        {
            Func<int, int, float> f = (r, q) => c.a * r - c.b * q + r * q;
            Tensor t = Tensor.FromFunction(c.rows, c.columns, f);
            Assert.Equal([c.rows, c.columns], t.Shape);
            for (int r = 0; r < c.rows; r++)
            {
                for (int q = 0; q < c.columns; q++) Assert.Equal(f(r, q), t[r, q]);
            }
        }, iter: 300);
    }

    [Fact]
    public void Rows_and_columns_are_not_swapped()
    {
        // A 2 × 3 ramp r·10 + c, written out row-major.
        Tensor t = Tensor.FromFunction(2, 3, (r, c) => r * 10 + c);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal([0f, 1f, 2f, 10f, 11f, 12f], t.ToArray());
    }

    [Fact]
    public void The_function_is_called_once_per_element()
    {
        var calls = new List<(int, int)>();
        Tensor.FromFunction(3, 4, (r, c) => { calls.Add((r, c)); return 0f; });
        Assert.Equal(12, calls.Count);
        Assert.Equal(12, calls.Distinct().Count());
    }

    [Theory]
    [InlineData(0, 3, "rows")]
    [InlineData(-1, 3, "rows")]
    [InlineData(3, 0, "columns")]
    [InlineData(3, -5, "columns")]
    public void A_size_below_one_throws_naming_it(int rows, int columns, string param)
    {
        bool called = false;
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromFunction(rows, columns, (r, c) => { called = true; return 0f; }));
        Assert.Equal(param, ex.ParamName);
        Assert.False(called);
    }

    [Fact]
    public void Too_many_elements_throw_instead_of_allocating()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromFunction(100_000, 100_000, (r, c) => 0f));
        Assert.True(ex.ParamName is "rows" or "columns", $"ParamName should name a size but is '{ex.ParamName}'");
    }

    [Fact]
    public void A_null_function_throws_naming_value()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => Tensor.FromFunction(2, 2, null!));
        Assert.Equal("value", ex.ParamName);
    }
}
