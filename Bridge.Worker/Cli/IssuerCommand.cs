using System.CommandLine;
using Bridge.Worker.Credentials;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Cli;

/// <summary>
/// <c>bridge issuer</c>: Bridge's token-exchange issuer for Entra. <c>documents</c> writes the discovery document and
/// JWKS for static hosting (instead of serving them on the worker); <c>new-key</c> writes a new signing key.
/// </summary>
internal static class IssuerCommand
{
    public static Command Create()
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The directory that is published at the issuer URL.", Required = true };
        var documents = new Command(
            "documents",
            "Write {out}/.well-known/openid-configuration and {out}/.well-known/jwks.json from Bridge:Credentials:Issuer (Url, SigningKeyFiles). "
            + "Publish the directory at the issuer URL, e.g. https://bridge.example.com/oidc/.well-known/openid-configuration.")
        {
            outDir,
        };
        documents.TreatUnmatchedTokensAsErrors = false;
        documents.SetAction(result => WriteDocuments([.. result.UnmatchedTokens], result.GetValue(outDir)!));

        var keyFile = new Option<FileInfo>("--out") { Description = "Where to write the new PEM private key (must not exist).", Required = true };
        var newKey = new Command("new-key", "Write a new 2048-bit RSA signing key (PKCS#8 PEM, readable by its owner only) for Bridge:Credentials:Issuer:SigningKeyFiles.")
        {
            keyFile,
        };
        newKey.SetAction(result => WriteKey(result.GetValue(keyFile)!));

        return new Command("issuer", "Bridge's own OIDC issuer of client assertions for Entra federated credentials.") { documents, newKey };
    }

    private static int WriteDocuments(string[] settings, DirectoryInfo directory)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settings)
            .Build();
        var options = configuration.GetSection(CredentialsOptions.Section).Get<CredentialsOptions>() ?? new CredentialsOptions();
        var errors = new List<string>();
        if (options.Issuer.Url is null)
        {
            errors.Add($"{CredentialsOptions.Section}:Issuer:Url is required, e.g. https://bridge.example.com/oidc");
        }

        if (options.Issuer.SigningKeyFiles.Count == 0)
        {
            errors.Add($"{CredentialsOptions.Section}:Issuer:SigningKeyFiles:0 is required (a PEM RSA private key; a second during a rotation)");
        }

        errors.AddRange(IssuerKeys.Load(options.Issuer.SigningKeyFiles).Errors);
        if (errors.Count > 0)
        {
            Console.Error.WriteLine("bridge: the configuration is not valid:");
            errors.ForEach(e => Console.Error.WriteLine($"  - {e}"));
            return RunCommand.ConfigurationError;
        }

        var issuer = new BridgeAssertionIssuer(Options.Create(options), TimeProvider.System);
        var wellKnown = Directory.CreateDirectory(Path.Combine(directory.FullName, ".well-known"));
        File.WriteAllText(Path.Combine(wellKnown.FullName, "openid-configuration"), issuer.Discovery().ToJsonString());
        File.WriteAllText(Path.Combine(wellKnown.FullName, "jwks.json"), issuer.Jwks().ToJsonString());
        Console.WriteLine($"Wrote {Path.Combine(wellKnown.FullName, "openid-configuration")} and jwks.json for issuer {issuer.Issuer}");
        return 0;
    }

    private static int WriteKey(FileInfo file)
    {
        if (file.Exists)
        {
            Console.Error.WriteLine($"bridge: {file.FullName} already exists; choose another file");
            return RunCommand.ConfigurationError;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(file.FullName, options))
        {
            writer.Write(IssuerKeys.NewPem());
        }

        Console.WriteLine($"Wrote a new signing key to {file.FullName}");
        return 0;
    }
}
