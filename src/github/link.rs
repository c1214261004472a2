//! The `Link` header GitHub paginates with:
//! `<https://api.github.com/...&page=2>; rel="next", <...&page=5>; rel="last"`.

/// The URL of the relation `rel` (`next`, `last`, ...), if the header has one.
pub fn find(header: &str, rel: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let mut pieces = part.split(';');
        let url = pieces.next()?.trim();
        let url = url.strip_prefix('<')?.strip_suffix('>')?;
        let matches = pieces.any(|param| {
            let Some((key, value)) = param.trim().split_once('=') else {
                return false;
            };
            key.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case(rel))
        });
        matches.then(|| url.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_relations_in_githubs_format() {
        let header = "<https://api.github.com/repositories/1300192/issues?page=2>; rel=\"prev\", \
                      <https://api.github.com/repositories/1300192/issues?page=4>; rel=\"next\", \
                      <https://api.github.com/repositories/1300192/issues?page=515>; rel=\"last\", \
                      <https://api.github.com/repositories/1300192/issues?page=1>; rel=\"first\"";
        assert_eq!(
            find(header, "next").as_deref(),
            Some("https://api.github.com/repositories/1300192/issues?page=4")
        );
        assert_eq!(
            find(header, "last").as_deref(),
            Some("https://api.github.com/repositories/1300192/issues?page=515")
        );
        assert_eq!(find("<https://x/?page=1>; rel=\"first\"", "next"), None);
        assert_eq!(find("garbage", "next"), None);
        assert_eq!(find("", "next"), None);
    }
}
