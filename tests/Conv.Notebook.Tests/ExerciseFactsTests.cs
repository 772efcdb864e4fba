namespace Conv.Notebook.Tests;

/// <summary>The facts that ../shared/EXERCISES.md states, checked on the helper.</summary>
public class ExerciseFactsTests
{
    [Fact]
    public void Exercise1_kernel_3x5_padding_0x1_stride_3x4_on_8x8_gives_2x2()
    {
        Tensor x = Tensor.Randn(0, 1, 1, 8, 8);
        Tensor k = Tensor.Randn(1, 1, 1, 3, 5);

        Tensor y = Convolution.Conv2d(x, k, padding: (0, 1), stride: (3, 4));

        Assert.Equal([1, 1, 2, 2], y.Shape);
        // Height pairs with k = 3, p = 0, s = 3; width with k = 5, p = 1 per side, s = 4.
        Assert.Equal(2, ConvShape.Output(8, kernel: 3, padding: 0, stride: 3));
        Assert.Equal(2, ConvShape.Output(8, kernel: 5, padding: 1, stride: 4));
    }

    [Theory]
    [InlineData(8, 3, 0, 3)]
    [InlineData(8, 5, 1, 4)]
    [InlineData(224, 7, 3, 2)]
    [InlineData(5, 5, 0, 1)]
    [InlineData(17, 2, 3, 3)]
    public void D2L_form_with_total_padding_equals_the_general_formula(int n, int k, int p, int s)
    {
        int d2l = (n - k + 2 * p + s) / s;

        Assert.Equal(d2l, ConvShape.Output(n, k, p, s));
    }

    [Fact]
    public void Reflect_padding_of_1_2_3_4_by_one_matches_the_earlier_answer_set()
    {
        Tensor x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });

        Tensor y = Padding.Pad(x, [1, 1, 1, 1], PaddingMode.Reflect);

        Assert.Equal([4, 4], y.Shape);
        Assert.Equal(new float[] { 4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3, 2, 1, 2, 1 }, y.ToArray());
    }

    [Fact]
    public void The_two_mirror_paddings_differ_in_whether_the_edge_repeats()
    {
        Tensor row = Tensor.FromArray([1f, 2f, 3f]);

        Assert.Equal(new float[] { 3, 2, 1, 2, 3, 2, 1 }, Padding.Pad(row, [2, 2], PaddingMode.Reflect).ToArray());
        Assert.Equal(new float[] { 2, 1, 1, 2, 3, 3, 2 }, Padding.Pad(row, [2, 2], PaddingMode.Symmetric).ToArray());
        Assert.Equal(new float[] { 1, 1, 1, 2, 3, 3, 3 }, Padding.Pad(row, [2, 2], PaddingMode.Replicate).ToArray());
        Assert.Equal(new float[] { 2, 3, 1, 2, 3, 1, 2 }, Padding.Pad(row, [2, 2], PaddingMode.Circular).ToArray());
        Assert.Equal(new float[] { 9, 9, 1, 2, 3, 9, 9 }, Padding.Pad(row, [2, 2], PaddingMode.Zeros, value: 9).ToArray());
    }
}
