//! Streams of pages for list operations, shared by every generated
//! paginator so each one is a few lines.

use std::future::Future;

pub use futures_core::Stream;

use crate::error::Error;

/// Calls `fetch` with `first`, then with each request that `advance`
/// prepares from the previous request and its response, until `advance`
/// says there is no next page or a call fails (the error is yielded, then
/// the stream ends).
pub fn paginate<Req, Resp, E, F, Fut, N>(first: Req, fetch: F, advance: N) -> impl Stream<Item = Result<Resp, Error<E>>>
where
    Req: Clone,
    F: FnMut(Req) -> Fut,
    Fut: Future<Output = Result<Resp, Error<E>>>,
    N: FnMut(&mut Req, &Resp) -> bool,
{
    futures_util::stream::unfold((Some(first), fetch, advance), |(request, mut fetch, mut advance)| async move {
        let mut request = request?;
        let result = fetch(request.clone()).await;
        let next = match &result {
            Ok(response) if advance(&mut request, response) => Some(request),
            _ => None,
        };
        Some((result, (next, fetch, advance)))
    })
}

/// The page number after `page` (1 when unset), or `None` when the response
/// was the last page: it held no items, fewer items than the page `size`, or
/// the pages so far cover `total`.
pub fn next_page(page: Option<i64>, size: Option<i64>, items: usize, total: Option<i64>) -> Option<i64> {
    let page = page.unwrap_or(1).max(1);
    if items == 0 {
        return None;
    }
    let items = i64::try_from(items).unwrap_or(i64::MAX);
    if let Some(size) = size.filter(|s| *s > 0) {
        if items < size {
            return None;
        }
        if let Some(total) = total {
            if page.saturating_mul(size) >= total {
                return None;
            }
        }
    } else if let Some(total) = total {
        // Unknown page size: the service's default is what this page held.
        if page.saturating_mul(items) >= total {
            return None;
        }
    }
    page.checked_add(1)
}

/// The token of the page after one whose response carried `next`, or
/// `None` when there is no further page: no token, an empty one, or the
/// token just sent again (a service repeating itself would loop forever).
pub fn next_token(sent: Option<&str>, next: Option<&str>) -> Option<String> {
    next.filter(|t| !t.is_empty() && Some(*t) != sent).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::{next_page, next_token};

    #[test]
    fn token_pages_stop_without_a_new_token() {
        assert_eq!(next_token(None, Some("t2")).as_deref(), Some("t2"));
        assert_eq!(next_token(Some("t1"), Some("t2")).as_deref(), Some("t2"));
        assert_eq!(next_token(Some("t1"), Some("t1")), None);
        assert_eq!(next_token(Some("t1"), Some("")), None);
        assert_eq!(next_token(Some("t1"), None), None);
    }

    #[test]
    fn stops_at_the_last_page() {
        assert_eq!(next_page(None, Some(10), 10, Some(25)), Some(2));
        assert_eq!(next_page(Some(2), Some(10), 10, Some(25)), Some(3));
        assert_eq!(next_page(Some(3), Some(10), 5, Some(25)), None);
        assert_eq!(next_page(Some(2), Some(10), 10, Some(20)), None);
        assert_eq!(next_page(Some(1), Some(10), 0, None), None);
        assert_eq!(next_page(Some(1), None, 20, Some(40)), Some(2));
        assert_eq!(next_page(Some(2), None, 20, Some(40)), None);
        assert_eq!(next_page(Some(1), Some(10), 10, None), Some(2));
    }
}
