namespace Conv.Notebook;

/// <summary>One layer of a convolution stack, for <see cref="ReceptiveField.Of"/>: kernel, stride and dilation along one dimension.</summary>
/// <param name="Kernel">The kernel size, at least 1.</param>
/// <param name="Stride">The stride, at least 1.</param>
/// <param name="Dilation">The dilation, at least 1.</param>
/// <param name="Name">A name for tables; null means "conv" and the layer's number.</param>
/// <example><code>new ConvLayer(Kernel: 10, Stride: 5)</code></example>
public sealed record ConvLayer(int Kernel, int Stride = 1, int Dilation = 1, string? Name = null);

/// <summary>What one output sample of a layer sees of the stack's input.</summary>
/// <param name="Name">The layer's name.</param>
/// <param name="Kernel">The layer's kernel size.</param>
/// <param name="Stride">The layer's stride.</param>
/// <param name="Dilation">The layer's dilation.</param>
/// <param name="Hop">Input samples between neighbouring outputs of this layer: the product of the strides so far.</param>
/// <param name="ReceptiveField">Input samples that one output of this layer depends on.</param>
public sealed record LayerField(string Name, int Kernel, int Stride, int Dilation, long Hop, long ReceptiveField);

/// <summary>
/// How far a stack of convolutions sees: each layer adds (kernel − 1) · dilation input hops of the layer below
/// to the receptive field, and multiplies the hop by its stride. Padding moves windows but does not change either.
/// </summary>
/// <example>
/// <code>
/// // wav2vec 2.0's feature encoder: hop 320 samples (20 ms at 16 kHz), receptive field 400 (25 ms).
/// var fields = ReceptiveField.Of(new ConvLayer(10, 5), new ConvLayer(3, 2), new ConvLayer(3, 2),
///     new ConvLayer(3, 2), new ConvLayer(3, 2), new ConvLayer(2, 2), new ConvLayer(2, 2));
/// </code>
/// </example>
public static class ReceptiveField
{
    /// <summary>The hop and receptive field after each layer of the stack, first layer first.</summary>
    /// <param name="layers">The layers, input side first; at least one.</param>
    /// <example><code>ReceptiveField.Of(new ConvLayer(3, 2), new ConvLayer(3, 2))[^1].ReceptiveField // 7</code></example>
    public static IReadOnlyList<LayerField> Of(params ConvLayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("A stack needs at least one layer, but layers is empty.", nameof(layers));
        for (int i = 0; i < layers.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(layers[i], $"layers[{i}]");
            Guard.AtLeastOne(layers[i].Kernel, $"layers[{i}].Kernel", "kernel size");
            Guard.AtLeastOne(layers[i].Stride, $"layers[{i}].Stride", "stride");
            Guard.AtLeastOne(layers[i].Dilation, $"layers[{i}].Dilation", "dilation");
        }
        var fields = new LayerField[layers.Length];
        long hop = 1, field = 1;
        for (int i = 0; i < layers.Length; i++)
        {
            ConvLayer layer = layers[i];
            try
            {
                field = checked(field + (long)(layer.Kernel - 1) * layer.Dilation * hop);
                hop = checked(hop * layer.Stride);
            }
            catch (OverflowException)
            {
                throw new ArgumentException($"The stack's hop or receptive field passes {long.MaxValue} samples at layer {i}.", nameof(layers));
            }
            fields[i] = new LayerField(layer.Name ?? $"conv{i + 1}", layer.Kernel, layer.Stride, layer.Dilation, hop, field);
        }
        return fields;
    }
}
