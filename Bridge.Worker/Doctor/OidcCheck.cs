using Bridge.Worker.Identity;

namespace Bridge.Worker.Doctor;

/// <summary>Each allow-listed workspace's OIDC discovery document and signing keys can be fetched, through the worker's key cache.</summary>
internal static class OidcCheck
{
    public static async Task RunAsync(SigningKeyCache keys, IdentityOptions options, DoctorReport report, CancellationToken cancellationToken)
    {
        foreach (var (slug, workspace) in options.Workspaces.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            var check = $"oidc {slug}";
            var setting = $"{IdentityOptions.Section}:Workspaces:{slug}:DiscoveryUrl (or :Issuer)";
            await report.RunAsync(
                check,
                setting,
                async token =>
                {
                    var count = await keys.FetchNowAsync(slug, workspace, token);
                    var where = workspace.DiscoveryUrlFor(slug);
                    if (count == 0)
                    {
                        report.Failed(check, $"{where} publishes no RSA signing key; check {setting}");
                    }
                    else
                    {
                        report.Ok(check, $"discovery document {where} and {count} signing key(s) fetched");
                    }
                },
                cancellationToken);
        }
    }
}
