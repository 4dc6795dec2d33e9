namespace Bridge.Worker.Identity;

internal static class IdentityExtensions
{
    /// <summary>Registers how events are verified. For now only the token's shape is checked; see README.</summary>
    public static IHostApplicationBuilder AddIdentity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IEventVerifier, TokenShapeCheck>();
        return builder;
    }
}
