//! Walking a list operation page by page: the offset advances by the items received, and the
//! walk stops at the first page shorter than the page size (the API returns no total count).

use std::future::Future;
use std::pin::Pin;

use super::error::Error;

/// The future of one page's items.
pub type PageFuture<'c, Item> = Pin<Box<dyn Future<Output = Result<Vec<Item>, Error>> + Send + 'c>>;

/// The pages of a list operation. Get them one at a time with [`Pages::next_page`], or all
/// items at once with [`Pages::all`].
pub struct Pages<'c, Request, Item> {
    request: Request,
    offset: i64,
    page_size: Option<i64>,
    set_offset: fn(&mut Request, i64),
    fetch: Box<dyn FnMut(Request) -> PageFuture<'c, Item> + Send + 'c>,
    done: bool,
}

impl<'c, Request: Clone, Item> Pages<'c, Request, Item> {
    /// Pages of `request` from `offset`; `page_size` is the limit a full page has (when known),
    /// `set_offset` writes an offset into a request, and `fetch` sends one.
    pub fn new(
        request: Request,
        offset: i64,
        page_size: Option<i64>,
        set_offset: fn(&mut Request, i64),
        fetch: impl FnMut(Request) -> PageFuture<'c, Item> + Send + 'c,
    ) -> Self {
        Pages {
            request,
            offset,
            page_size,
            set_offset,
            fetch: Box::new(fetch),
            done: false,
        }
    }

    /// The next page's items; `None` after the last page (a short or empty one) or an error.
    pub async fn next_page(&mut self) -> Option<Result<Vec<Item>, Error>> {
        if self.done {
            return None;
        }
        let mut request = self.request.clone();
        (self.set_offset)(&mut request, self.offset);
        match (self.fetch)(request).await {
            Ok(items) => {
                let received = items.len() as i64;
                self.offset += received;
                self.done = received == 0 || self.page_size.is_some_and(|size| received < size);
                Some(Ok(items))
            }
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }

    /// Every item of every page, in order; the first error ends the walk.
    pub async fn all(mut self) -> Result<Vec<Item>, Error> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            items.extend(page?);
        }
        Ok(items)
    }
}

impl<Request: std::fmt::Debug, Item> std::fmt::Debug for Pages<'_, Request, Item> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("request", &self.request)
            .field("offset", &self.offset)
            .field("page_size", &self.page_size)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
