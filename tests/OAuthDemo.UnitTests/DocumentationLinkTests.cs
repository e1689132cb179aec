using System.Text.RegularExpressions;

namespace OAuthDemo.UnitTests;

/// <summary>Every relative link and image in README.md and docs/*.md leads somewhere: a file, and a heading when it names one.</summary>
public partial class DocumentationLinkTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Documents() =>
        [.. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Prepend(Path.Combine(Root, "README.md"))
            .Select(path => Path.GetRelativePath(Root, path))];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_and_image_resolves(string document)
    {
        var path = Path.Combine(Root, document);
        var broken = new List<string>();
        var links = 0;
        foreach (Match link in Link().Matches(WithoutCode(File.ReadAllText(path))))
        {
            var target = link.Groups["target"].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                continue;
            links++;
            var hash = target.IndexOf('#');
            var file = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(file)));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
                broken.Add($"{target}: no such file");
            else if (anchor is not null && !(resolved.EndsWith(".md", StringComparison.Ordinal) && Anchors(File.ReadAllText(resolved)).Contains(anchor)))
                broken.Add($"{target}: no heading #{anchor}");
        }

        Assert.True(broken.Count == 0, $"{document}: {broken.Count} of {links} links lead nowhere:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void Headings_become_anchors_as_GitHub_makes_them()
    {
        Assert.Equal(["authorization-code--pkce-through-the-bff", "21-redirect-based-flows", "a", "a-1"],
            Anchors("## Authorization code + PKCE through the BFF\n### §2.1 Redirect-based flows\n# A\n# A\n"));
    }

    /// <summary>GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    private static List<string> Anchors(string markdown)
    {
        var anchors = new List<string>();
        foreach (Match heading in Heading().Matches(FencedCode().Replace(markdown, "")))
        {
            var text = heading.Groups["text"].Value.Trim().Replace("`", "", StringComparison.Ordinal);
            var slug = new string([.. text.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-');
            var unique = slug;
            for (var n = 1; anchors.Contains(unique); n++)
                unique = $"{slug}-{n}";
            anchors.Add(unique);
        }
        return anchors;
    }

    /// <summary>Fenced blocks and inline code are examples, not links.</summary>
    private static string WithoutCode(string markdown) => InlineCode().Replace(FencedCode().Replace(markdown, ""), "");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "OAuthDemo.sln")))
                return directory.FullName;
        throw new InvalidOperationException("OAuthDemo.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();
}
