"""A small kennel, as a FastAPI user would write it: the application the live test
(tests/fastapi/live.rs) calls through the client generated from its own `openapi.json`.

It has what FastAPI documents most: optional fields (`Optional[...]`, an `anyOf` with `null`
in OpenAPI 3.1), an enum, nested models, a file upload with an optional form field, a
documented 404 (`HTTPException`) and the 422 `HTTPValidationError` every route with input
can answer. State is in memory: each server the test starts begins with an empty kennel.
"""

from enum import Enum
from typing import Optional

from fastapi import FastAPI, File, Form, HTTPException, UploadFile
from pydantic import BaseModel, Field, field_validator

app = FastAPI(title="Kennel", version="1.0")


class Size(str, Enum):
    small = "small"
    medium = "medium"
    large = "large"


class Owner(BaseModel):
    name: str
    phone: Optional[str] = None


class NewDog(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    size: Size
    owner: Optional[Owner] = None
    age: Optional[int] = Field(default=None, gt=0)
    tags: list[str] = []

    # A rule of the server's own that the schema cannot say: the client sends the name, and
    # the 422 comes back.
    @field_validator("name")
    @classmethod
    def name_is_not_blank(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("a name must not be blank")
        return name


class Dog(BaseModel):
    id: int
    name: str
    size: Size
    owner: Optional[Owner] = None
    age: Optional[int] = None
    tags: list[str] = []


class NotFound(BaseModel):
    detail: str


class Photo(BaseModel):
    dog_id: int
    # Required, and may be null: a part may come without a file name or a type.
    filename: Optional[str]
    content_type: Optional[str]
    size: int
    caption: Optional[str] = None


DOGS: dict[int, Dog] = {}

NO_SUCH_DOG = {404: {"model": NotFound, "description": "No such dog"}}


def find(dog_id: int) -> Dog:
    if dog_id not in DOGS:
        raise HTTPException(404, f"no dog {dog_id}")
    return DOGS[dog_id]


@app.post("/dogs", response_model=Dog, status_code=201)
def create_dog(dog: NewDog):
    new = Dog(id=len(DOGS) + 1, **dog.model_dump())
    DOGS[new.id] = new
    return new


@app.get("/dogs", response_model=list[Dog])
def list_dogs(size: Optional[Size] = None):
    return [dog for dog in DOGS.values() if size is None or dog.size == size]


@app.get("/dogs/{dog_id}", response_model=Dog, responses=NO_SUCH_DOG)
def get_dog(dog_id: int):
    return find(dog_id)


@app.post("/dogs/{dog_id}/photo", response_model=Photo, responses=NO_SUCH_DOG)
async def upload_photo(
    dog_id: int,
    photo: UploadFile = File(...),
    caption: Optional[str] = Form(None),
):
    find(dog_id)
    data = await photo.read()
    return Photo(
        dog_id=dog_id,
        filename=photo.filename,
        content_type=photo.content_type,
        size=len(data),
        caption=caption,
    )
