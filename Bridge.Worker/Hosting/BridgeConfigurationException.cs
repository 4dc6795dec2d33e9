using Microsoft.Extensions.Options;

namespace Bridge.Worker.Hosting;

/// <summary>
/// The settings are wrong: <see cref="Errors"/> names each setting at fault and what a valid value looks like.
/// <c>bridge run</c> prints them and exits 2.
/// </summary>
internal sealed class BridgeConfigurationException(IReadOnlyList<string> errors, Exception? inner = null)
    : Exception(string.Join("; ", errors), inner)
{
    public BridgeConfigurationException(string error)
        : this([error])
    {
    }

    public IReadOnlyList<string> Errors { get; } = errors;

    /// <summary>
    /// The configuration error <paramref name="ex"/> stands for, or null: failed validations (several options sections
    /// fail together as an <see cref="AggregateException"/>) and values the configuration binder cannot convert.
    /// </summary>
    public static BridgeConfigurationException? From(Exception ex) => ex switch
    {
        BridgeConfigurationException known => known,
        OptionsValidationException invalid => new([.. invalid.Failures], invalid),
        AggregateException { InnerExceptions: var inner } when inner.All(e => e is OptionsValidationException) =>
            new([.. inner.Cast<OptionsValidationException>().SelectMany(e => e.Failures)], ex),

        // The binder wraps the converter's own error ("Failed to convert configuration value … at 'Bridge:…'").
        InvalidOperationException { InnerException: ArgumentException or FormatException or OverflowException or InvalidCastException } =>
            new([ex.Message], ex),
        _ => null,
    };
}
